using Berth.Build.Context;

namespace Berth.Build.Tests.Context;

/// <summary>moby/patternmatcher's cases and Docker's documented .dockerignore examples.</summary>
public sealed class PatternMatcherTests
{
    [Theory]
    [InlineData("**", "file", true)]
    [InlineData("**", "file/", true)]
    [InlineData("**/", "file", true)]
    [InlineData("**/", "/", true)]
    [InlineData("**/", "/file", true)]
    [InlineData("**/", "dir/file", true)]
    [InlineData("**/file", "file", true)]
    [InlineData("**/file", "dir/file", true)]
    [InlineData("**/file", "dir/dir/file", true)]
    [InlineData("**/file*", "dir/dir/file", true)]
    [InlineData("**/file*", "dir/dir/file.txt", true)]
    [InlineData("**/file*txt", "dir/dir/file.txt", true)]
    [InlineData("**/file*.txt", "dir/dir/file.txt", true)]
    [InlineData("**/**/*.txt", "dir/dir/file.txt", true)]
    [InlineData("**/**/*.txt2", "dir/dir/file.txt", false)]
    [InlineData("**/*.txt", "file.txt", true)]
    [InlineData("**/**/*.txt", "file.txt", true)]
    [InlineData("a**/*.txt", "a/file.txt", true)]
    [InlineData("a**/*.txt", "a/dir/file.txt", true)]
    [InlineData("a**/*.txt", "a/dir/dir/file.txt", true)]
    [InlineData("a/*.txt", "a/dir/file.txt", false)]
    [InlineData("a/*.txt", "a/file.txt", true)]
    [InlineData("a/*.txt**", "a/file.txt", true)]
    [InlineData("a[b-d]e", "ae", false)]
    [InlineData("a[b-d]e", "ace", true)]
    [InlineData("a[b-d]e", "aae", false)]
    [InlineData("a[^b-d]e", "aze", true)]
    [InlineData(".*", ".foo", true)]
    [InlineData(".*", "foo", false)]
    [InlineData("abc.def", "abcdef", false)]
    [InlineData("abc.def", "abc.def", true)]
    [InlineData("abc.def", "abcZdef", false)]
    [InlineData("abc?def", "abcZdef", true)]
    [InlineData("abc?def", "abcdef", false)]
    [InlineData("a\\\\", "a\\", true)]
    [InlineData("**/foo/bar", "foo/bar", true)]
    [InlineData("**/foo/bar", "dir/foo/bar", true)]
    [InlineData("**/foo/bar", "dir/dir2/foo/bar", true)]
    [InlineData("abc/**", "abc", false)]
    [InlineData("abc/**", "abc/def", true)]
    [InlineData("abc/**", "abc/def/ghi", true)]
    [InlineData("**/.foo", ".foo", true)]
    [InlineData("**/.foo", "bar.foo", false)]
    [InlineData("a(b)c/def", "a(b)c/def", true)]
    [InlineData("a(b)c/def", "a(b)c/xyz", false)]
    [InlineData("a.|)$(}+{bc", "a.|)$(}+{bc", true)]
    [InlineData("dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl", "dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl", true)]
    [InlineData("dist/*.whl", "dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl", true)]
    public void Patterns_match_as_patternmatcher_matches(string pattern, string path, bool expected)
        => Assert.Equal(expected, new PatternMatcher([pattern]).Matches(path));

    [Fact]
    public void Exceptions_re_include_and_later_patterns_win()
    {
        // Docker's documentation: *.md excluded, README.md kept.
        var m = new PatternMatcher(["*.md", "!README.md"]);
        Assert.True(m.Matches("CHANGES.md"));
        Assert.False(m.Matches("README.md"));
        // README-secret.md excluded again by a later pattern.
        m = new PatternMatcher(["*.md", "!README*.md", "README-secret.md"]);
        Assert.True(m.Matches("README-secret.md"));
        Assert.False(m.Matches("README-public.md"));
        // Order matters: the exception first has no effect.
        m = new PatternMatcher(["*.md", "README-secret.md", "!README*.md"]);
        Assert.False(m.Matches("README-secret.md"));
    }

    [Fact]
    public void A_pattern_matching_a_parent_directory_excludes_what_is_below()
    {
        var m = new PatternMatcher(["docs"]);
        Assert.True(m.Matches("docs/a/b.txt"));
        Assert.False(m.Matches("docsx/a"));
        m = new PatternMatcher(["*/temp*"]);
        Assert.True(m.Matches("somedir/temporary.txt"));
        Assert.True(m.Matches("somedir/temp"));
        Assert.False(m.Matches("temp"));
        m = new PatternMatcher(["*/*/temp*"]);
        Assert.True(m.Matches("somedir/subdir/temporary.txt"));
        m = new PatternMatcher(["temp?"]);
        Assert.True(m.Matches("tempa"));
        Assert.False(m.Matches("tempab"));
    }

    [Fact]
    public void Bad_patterns_are_refused_in_dockers_words()
    {
        Assert.Equal("illegal exclusion pattern: \"!\"", Assert.Throws<BuildContextException>(() => new PatternMatcher(["!"])).Message);
        Assert.Equal("syntax error in pattern", Assert.Throws<BuildContextException>(() => new PatternMatcher(["[a-"])).Message);
    }

    [Fact]
    public void The_ignore_file_is_read_as_the_cli_reads_it()
    {
        var patterns = IgnoreFile.Parse("\uFEFF# comment\n\n  /foo/../bar  \n./baz/\n!/keep\n #not-a-comment\r\n/\n");
        Assert.Equal(["bar", "baz", "!keep", "#not-a-comment", "/"], patterns);
    }

    [Fact]
    public void The_dockerfile_and_dockerignore_are_always_sent()
    {
        var kept = IgnoreFile.KeepBuildFiles(["*", "!src"], "build/Dockerfile");
        Assert.Equal(["*", "!src", "!.dockerignore", "!build/Dockerfile"], kept);
        Assert.Equal(["*", "!.dockerignore"], IgnoreFile.KeepBuildFiles(["*"], "Dockerfile", dockerfileFromStdin: true));
    }
}
