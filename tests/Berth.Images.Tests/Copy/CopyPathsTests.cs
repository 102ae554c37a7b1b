using Berth.Images.Copy;

namespace Berth.Images.Tests.Copy;

/// <summary>docker cp's path rules (go-archive's copy.go) and Go's path functions they stand on, on Docker's own examples.</summary>
public sealed class CopyPathsTests
{
    [Theory]
    [InlineData("", ".")]
    [InlineData("/", "/")]
    [InlineData("/etc/", "etc")]
    [InlineData("/etc/.", ".")]
    [InlineData("etc/passwd", "passwd")]
    [InlineData("//", "/")]
    public void Base_is_go_s(string path, string expected) => Assert.Equal(expected, GoPath.Base(path));

    [Theory]
    [InlineData("/a/b/../c/./d/", "/a/c/d")]
    [InlineData("../../x", "../../x")]
    [InlineData("/../x", "/x")]
    [InlineData("", ".")]
    public void Clean_is_go_s(string path, string expected) => Assert.Equal(expected, GoPath.Clean(path));

    [Theory]
    [InlineData("/etc", "etc", "/etc")]
    [InlineData("/etc", "etc/", "/etc/")]
    [InlineData("/etc", "etc/.", "/etc/.")]
    [InlineData("/", "/.", "/.")]
    [InlineData("/", "/", "/")]
    [InlineData("/a/.", "a/.", "/a/.")]
    public void Trailing_separator_and_dot_survive_cleaning(string cleaned, string original, string expected)
        => Assert.Equal(expected, CopyPaths.PreserveTrailingDotOrSeparator(cleaned, original));

    [Theory]
    [InlineData("etc/", "/etc/")]
    [InlineData("/tmp/../etc/.", "/etc/.")]
    [InlineData("/", "/")]
    [InlineData("x", "/x")]
    public void A_path_in_the_container_is_absolute(string path, string expected) => Assert.Equal(expected, CopyPaths.InContainer(path));

    [Theory]
    [InlineData("/a/b", "/a", "b")]
    [InlineData("/a/b/", "/a", "b")]
    [InlineData("/a/b/.", "/a/b", ".")]
    [InlineData("/", "/", "/")]
    public void Split_keeps_a_final_dot(string path, string dir, string name) => Assert.Equal((dir, name), CopyPaths.SplitDirEntry(path));

    [Theory]
    [InlineData("/tmp/link", "/etc", "/etc", "link")]
    [InlineData("/tmp/link/", "/etc", "/etc/", "link")]
    [InlineData("/tmp/link/.", "/etc", "/etc/.", "")]
    [InlineData("/tmp/etc", "/etc", "/etc", "")]
    public void A_symlink_renames_what_it_leads_to(string path, string resolved, string expectedPath, string rebase)
        => Assert.Equal((expectedPath, rebase), CopyPaths.RebaseName(path, resolved));

    [Theory]
    [InlineData("/x/", true)]
    [InlineData("/x/.", true)]
    [InlineData("/x", false)]
    public void A_trailing_slash_or_dot_asserts_a_directory(string path, bool expected) => Assert.Equal(expected, CopyPaths.AssertsDirectory(path));
}
