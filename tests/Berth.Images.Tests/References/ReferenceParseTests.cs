using Berth.Images.References;
using Berth.Oci;

namespace Berth.Images.Tests.References;

/// <summary>
/// The grammar without normalisation: the cases of distribution/reference reference_test.go (TestReferenceParse,
/// TestWithNameFailure, TestDomainAndPath, TestWithTag, TestWithDigest, TestParseNamed), with the error each gives.
/// </summary>
public sealed class ReferenceParseTests
{
    private const string F64 = "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff";
    private const string F128 = F64 + F64;

    public static TheoryData<string, string, string, string?, string?> Valid => new()
    {
        // input, name, domain, tag, digest
        { "test_com", "test_com", "", null, null },
        { "test.com:tag", "test.com", "", "tag", null },
        { "test.com:5000", "test.com", "", "5000", null },
        { "test.com/repo:tag", "test.com/repo", "test.com", "tag", null },
        { "test:5000/repo", "test:5000/repo", "test:5000", null, null },
        { "test:5000/repo:tag", "test:5000/repo", "test:5000", "tag", null },
        { "test:5000/repo@sha256:" + F64, "test:5000/repo", "test:5000", null, "sha256:" + F64 },
        { "test:5000/repo:tag@sha256:" + F64, "test:5000/repo", "test:5000", "tag", "sha256:" + F64 },
        { "lowercase:Uppercase", "lowercase", "", "Uppercase", null },
        { string.Concat(Enumerable.Repeat("a/", 127)) + "a:tag-puts-this-over-max", string.Concat(Enumerable.Repeat("a/", 127)) + "a", "a", "tag-puts-this-over-max", null },
        { "sub-dom1.foo.com/bar/baz/quux", "sub-dom1.foo.com/bar/baz/quux", "sub-dom1.foo.com", null, null },
        { "sub-dom1.foo.com/bar/baz/quux:some-long-tag", "sub-dom1.foo.com/bar/baz/quux", "sub-dom1.foo.com", "some-long-tag", null },
        { "b.gcr.io/test.example.com/my-app:test.example.com", "b.gcr.io/test.example.com/my-app", "b.gcr.io", "test.example.com", null },
        { "xn--n3h.com/myimage:xn--n3h.com", "xn--n3h.com/myimage", "xn--n3h.com", "xn--n3h.com", null }, // ☃.com in punycode
        { "xn--7o8h.com/myimage:xn--7o8h.com@sha512:" + F128, "xn--7o8h.com/myimage", "xn--7o8h.com", "xn--7o8h.com", "sha512:" + F128 }, // 🐳.com
        { "foo_bar.com:8080", "foo_bar.com", "", "8080", null },
        { "foo/foo_bar.com:8080", "foo/foo_bar.com", "foo", "8080", null },
        { "192.168.1.1", "192.168.1.1", "", null, null },
        { "192.168.1.1:tag", "192.168.1.1", "", "tag", null },
        { "192.168.1.1:5000", "192.168.1.1", "", "5000", null },
        { "192.168.1.1/repo", "192.168.1.1/repo", "192.168.1.1", null, null },
        { "192.168.1.1:5000/repo", "192.168.1.1:5000/repo", "192.168.1.1:5000", null, null },
        { "192.168.1.1:5000/repo:5050", "192.168.1.1:5000/repo", "192.168.1.1:5000", "5050", null },
        { "[2001:db8::1]/repo", "[2001:db8::1]/repo", "[2001:db8::1]", null, null },
        { "[2001:db8:1:2:3:4:5:6]/repo:tag", "[2001:db8:1:2:3:4:5:6]/repo", "[2001:db8:1:2:3:4:5:6]", "tag", null },
        { "[2001:db8::1]:5000/repo", "[2001:db8::1]:5000/repo", "[2001:db8::1]:5000", null, null },
        { "[2001:db8::1]:5000/repo:tag", "[2001:db8::1]:5000/repo", "[2001:db8::1]:5000", "tag", null },
        { "[2001:db8::1]:5000/repo@sha256:" + F64, "[2001:db8::1]:5000/repo", "[2001:db8::1]:5000", null, "sha256:" + F64 },
        { "[2001:db8::1]:5000/repo:tag@sha256:" + F64, "[2001:db8::1]:5000/repo", "[2001:db8::1]:5000", "tag", "sha256:" + F64 },
        { "[2001:db8::]:5000/repo", "[2001:db8::]:5000/repo", "[2001:db8::]:5000", null, null },
        { "[::1]:5000/repo", "[::1]:5000/repo", "[::1]:5000", null, null },
        // distribution/reference v0.6.0 limits the path, not the whole name, to 255 characters: domain "a" and a
        // 255-character path are accepted (reference_test.go, written for the older whole-name limit, refuses it).
        { string.Concat(Enumerable.Repeat("a/", 128)) + "a:tag", string.Concat(Enumerable.Repeat("a/", 128)) + "a", "a", "tag", null },
    };

    public static TheoryData<string, string> Invalid => new()
    {
        { "", "repository name must have at least one component" },
        { ":justtag", "invalid reference format" },
        { "@sha256:" + F64, "invalid reference format" },
        { "repo@sha256:ffffffffffffffffffffffffffffffffff", "invalid checksum digest length" },
        { "validname@invaliddigest:" + F64, "unsupported digest algorithm" },
        { "repo@sha256:" + F64.ToUpperInvariant(), "invalid checksum digest format" },
        { "repo@sha256:abc", "invalid reference format" },
        { "Uppercase:tag", "repository name must be lowercase" },
        { "test:5000/Uppercase/lowercase:tag", "repository name must be lowercase" },
        { string.Concat(Enumerable.Repeat("a/", 129)) + "a:tag", "repository name must not be more than 255 characters" },
        { "aa/asdf$$^/aa", "invalid reference format" },
        { "[2001:db8::1]", "invalid reference format" },
        { "[2001:db8::1]:5000", "invalid reference format" },
        { "[2001:db8::1]:tag", "invalid reference format" },
        { "[fe80::1%eth0]:5000/repo", "invalid reference format" },
        { "[fe80::1%@invalidzone]:5000/repo", "invalid reference format" },
        // Go's regexp: $ is the end of the text and \w is ASCII; .NET's differ.
        { "busybox\n", "invalid reference format" },
        { "busybox:tag\n", "invalid reference format" },
        { "busybox:täg", "invalid reference format" },
        { "busybox:" + new string('t', 129), "invalid reference format" },
    };

    [Theory]
    [MemberData(nameof(Valid))]
    public void Parses(string input, string name, string domain, string? tag, string? digest)
    {
        Reference reference = Reference.Parse(input);

        Assert.Equal(input, reference.ToString());
        Assert.Equal(name, reference.Name);
        Assert.Equal(domain, reference.Domain);
        Assert.Equal(tag, reference.Tag);
        Assert.Equal(digest, reference.Digest?.ToString());
    }

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Refuses_with_distributions_error(string input, string error)
    {
        Assert.False(Reference.TryParse(input, out _, out string? message));
        Assert.Equal(error, message);
        StoreException thrown = Assert.Throws<StoreException>(() => Reference.Parse(input));
        Assert.Equal(error, thrown.Message);
        Assert.Equal(StoreErrorKind.InvalidArgument, thrown.Kind);
    }

    [Theory]
    [InlineData("", "invalid reference format")]
    [InlineData(":justtag", "invalid reference format")]
    [InlineData("@sha256:" + F64, "invalid reference format")]
    [InlineData("validname@invaliddigest:" + F64, "invalid reference format")]
    [InlineData("aa/asdf$$^/aa", "invalid reference format")]
    public void WithName_refuses_what_is_not_a_name(string input, string error)
    {
        Assert.Equal(error, Assert.Throws<StoreException>(() => Reference.WithName(input)).Message);
    }

    [Fact]
    public void WithName_refuses_a_long_path()
    {
        Assert.Equal("repository name must not be more than 255 characters",
            Assert.Throws<StoreException>(() => Reference.WithName(string.Concat(Enumerable.Repeat("a/", 129)) + "a")).Message);
    }

    [Theory]
    [InlineData("test.com/foo", "test.com", "foo")]
    [InlineData("test_com/foo", "", "test_com/foo")]
    [InlineData("test:8080/foo", "test:8080", "foo")]
    [InlineData("test.com:8080/foo", "test.com:8080", "foo")]
    [InlineData("test-com:8080/foo", "test-com:8080", "foo")]
    [InlineData("xn--n3h.com:18080/foo", "xn--n3h.com:18080", "foo")]
    public void WithName_splits_domain_and_path(string input, string domain, string path)
    {
        Reference name = Reference.WithName(input);

        Assert.Equal((domain, path), (name.Domain, name.Path));
        Assert.True(name.IsNameOnly);
    }

    [Theory]
    [InlineData("test.com/foo", null, "tag", "test.com/foo:tag")]
    [InlineData("foo", null, "tag2", "foo:tag2")]
    [InlineData("test.com:8000/foo", null, "tag4", "test.com:8000/foo:tag4")]
    [InlineData("test.com:8000/foo", null, "TAG5", "test.com:8000/foo:TAG5")]
    [InlineData("test.com:8000/foo", "sha256:1234567890098765432112345667890098765", "TAG5", "test.com:8000/foo:TAG5@sha256:1234567890098765432112345667890098765")]
    public void WithTag_keeps_a_digest(string name, string? digest, string tag, string combined)
    {
        Reference reference = Reference.WithName(name);
        if (digest is not null)
        {
            reference = reference.WithDigest(Unchecked(digest));
        }

        Assert.Equal(combined, reference.WithTag(tag).ToString());
    }

    [Theory]
    [InlineData("test.com/foo", null, "test.com/foo@sha256:1234567890098765432112345667890098765")]
    [InlineData("foo", null, "foo@sha256:1234567890098765432112345667890098765")]
    [InlineData("test.com:8000/foo", null, "test.com:8000/foo@sha256:1234567890098765432112345667890098765")]
    [InlineData("test.com:8000/foo", "latest", "test.com:8000/foo:latest@sha256:1234567890098765432112345667890098765")]
    public void WithDigest_keeps_a_tag(string name, string? tag, string combined)
    {
        Reference reference = Reference.WithName(name);
        if (tag is not null)
        {
            reference = reference.WithTag(tag);
        }

        // WithDigest checks the reference grammar's digest only (32 or more hex digits), as distribution does.
        Assert.Equal(combined, reference.WithDigest(Unchecked("sha256:1234567890098765432112345667890098765")).ToString());
    }

    [Fact]
    public void Invalid_components_are_refused()
    {
        Reference busybox = Reference.ParseNormalized("busybox");

        Assert.Equal("invalid tag format", Assert.Throws<StoreException>(() => busybox.WithTag("-foo")).Message);
        Assert.Equal("invalid tag format", Assert.Throws<StoreException>(() => busybox.WithTag("")).Message);
        Assert.Equal("invalid digest format", Assert.Throws<StoreException>(() => busybox.WithDigest(new Digest("foo", ""))).Message);
        Assert.Equal("invalid digest format", Assert.Throws<StoreException>(() => busybox.WithDigest(Unchecked("sha256:abc"))).Message);
    }

    [Theory]
    [InlineData("test.com/foo", "test.com", "foo")]
    [InlineData("test:8080/foo", "test:8080", "foo")]
    [InlineData("docker.io/library/foo", "docker.io", "library/foo")]
    public void ParseNamed_takes_canonical_names(string input, string domain, string path)
    {
        Reference reference = Reference.ParseNamed(input);

        Assert.Equal((domain, path), (reference.Domain, reference.Path));
    }

    [Theory]
    [InlineData("test_com/foo")]
    [InlineData("test.com")]
    [InlineData("foo")]
    [InlineData("library/foo")]
    [InlineData("docker.io/foo")] // ambiguous: the parser adds library/
    public void ParseNamed_refuses_familiar_names(string input)
    {
        Assert.Equal("repository name must be canonical", Assert.Throws<StoreException>(() => Reference.ParseNamed(input)).Message);
    }

    [Fact]
    public async Task Pathological_input_is_refused_without_backtracking()
    {
        // Backtracking regular expressions can go exponential; these patterns must not.
        string[] inputs =
        [
            string.Concat(Enumerable.Repeat("a-", 50_000)) + "!",
            string.Concat(Enumerable.Repeat("a.", 50_000)) + "/b!",
            "a/" + string.Concat(Enumerable.Repeat("a__a", 20_000)) + "__",
            "[" + new string(':', 100_000) + "/",
        ];
        // Exponential backtracking would not finish at all; the bound only guards against hanging (speed is bench/'s).
        var results = await Task.Run(() => inputs.Select(input => Reference.TryParse(input, out _, out _)).ToList()).WaitAsync(TimeSpan.FromMinutes(2));
        Assert.All(results, Assert.False);
    }

    // go-digest's Digest is a string: distribution's tests build digests Berth's parser would refuse.
    private static Digest Unchecked(string digest) => new(digest[..digest.IndexOf(':')], digest[(digest.IndexOf(':') + 1)..]);
}
