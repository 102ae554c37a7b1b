using Berth.Images.References;

namespace Berth.Images.Tests.References;

/// <summary>
/// Normalisation as Docker does it: the cases of distribution/reference normalize_test.go (TestValidateReferenceName,
/// TestValidateRemoteName, TestParseRepositoryInfo, TestParseReferenceWithTagAndDigest, TestParseAnyReference,
/// TestNormalizedSplitHostname, TestParseDockerRef, TestMatch), and Docker's error texts for what users type.
/// </summary>
public sealed class ReferenceNormalizeTests
{
    [Theory]
    [InlineData("docker/docker")]
    [InlineData("library/debian")]
    [InlineData("debian")]
    [InlineData("docker.io/docker/docker")]
    [InlineData("docker.io/library/debian")]
    [InlineData("docker.io/debian")]
    [InlineData("index.docker.io/docker/docker")]
    [InlineData("index.docker.io/library/debian")]
    [InlineData("index.docker.io/debian")]
    [InlineData("127.0.0.1:5000/docker/docker")]
    [InlineData("127.0.0.1:5000/library/debian")]
    [InlineData("127.0.0.1:5000/debian")]
    [InlineData("192.168.0.1")]
    [InlineData("192.168.0.1:80")]
    [InlineData("192.168.0.1:8/debian")]
    [InlineData("192.168.0.2:25000/debian")]
    [InlineData("thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev")]
    [InlineData("[fc00::1]:5000/docker")]
    [InlineData("[fc00::1]:5000/docker/docker")]
    [InlineData("[fc00:1:2:3:4:5:6:7]:5000/library/debian")]
    [InlineData("docker.io/1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a")]
    [InlineData("Docker/docker")]
    [InlineData("DOCKER/docker")]
    [InlineData("docker-rules/docker")]
    [InlineData("docker---rules/docker")]
    [InlineData("doc/docker")]
    [InlineData("d/docker")]
    [InlineData("jess/t")]
    [InlineData("dock__er/docker")]
    [InlineData("localhost/app")]
    [InlineData("localhost:5000/app:1.0")]
    public void Valid_names(string input)
    {
        Assert.True(Reference.TryParseNormalized(input, out _, out string? error), error);
    }

    [Theory]
    [InlineData("https://github.com/docker/docker", "invalid reference format")]
    [InlineData("docker/Docker", "invalid reference format: repository name (docker/Docker) must be lowercase")]
    [InlineData("-docker", "invalid reference format")]
    [InlineData("-docker/docker", "invalid reference format")]
    [InlineData("-docker.io/docker/docker", "invalid reference format")]
    [InlineData("docker///docker", "invalid reference format")]
    [InlineData("docker.io/docker/Docker", "invalid reference format: repository name (docker/Docker) must be lowercase")]
    [InlineData("docker.io/docker///docker", "invalid reference format")]
    [InlineData("[fc00::1]", "invalid reference format")]
    [InlineData("[fc00::1]:5000", "invalid reference format")]
    [InlineData("fc00::1:5000/debian", "invalid reference format")]
    [InlineData("[fe80::1%eth0]:5000/debian", "invalid reference format")]
    [InlineData("[2001:db8:3:4::192.0.2.33]:5000/debian", "invalid reference format")]
    [InlineData("1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a",
        "invalid repository name (1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a), cannot specify 64-byte hexadecimal strings")]
    [InlineData("docker-/docker", "invalid reference format")]
    [InlineData("-docker-/docker", "invalid reference format")]
    [InlineData("____/____", "invalid reference format")]
    [InlineData("_docker/_docker", "invalid reference format")]
    [InlineData("dock..er/docker", "invalid reference format")]
    [InlineData("dock_.er/docker", "invalid reference format")]
    [InlineData("dock-.er/docker", "invalid reference format")]
    [InlineData("docker/", "invalid reference format")]
    [InlineData("this_is_not_a_valid_namespace_because_its_lenth_is_greater_than_255_this_is_not_a_valid_namespace_because_its_lenth_is_greater_than_255_this_is_not_a_valid_namespace_because_its_lenth_is_greater_than_255_this_is_not_a_valid_namespace_because_its_lenth_is_greater_than_255/docker",
        "repository name must not be more than 255 characters")]
    // What users type at docker pull / docker run, and what Docker answers.
    [InlineData("Foo", "invalid reference format: repository name (library/Foo) must be lowercase")]
    [InlineData("busybox:Latest@sha256:ABC", "invalid reference format")]
    [InlineData("", "invalid reference format")]
    [InlineData("busybox:", "invalid reference format")]
    [InlineData("busybox:-tag", "invalid reference format")]
    [InlineData("busybox@sha256:ffff", "invalid reference format")]
    [InlineData("busybox@sha256:ffffffffffffffffffffffffffffffffffff", "invalid checksum digest length")]
    [InlineData("busybox@md5:ffffffffffffffffffffffffffffffff", "unsupported digest algorithm")]
    [InlineData("busybox @latest", "invalid reference format")]
    [InlineData("example.com/Foo/bar:1", "invalid reference format: repository name (Foo/bar) must be lowercase")]
    [InlineData("localhost:5000/UP", "invalid reference format: repository name (UP) must be lowercase")]
    public void Invalid_names_give_dockers_error(string input, string error)
    {
        Assert.False(Reference.TryParseNormalized(input, out _, out string? message));
        Assert.Equal(error, message);
        Assert.Equal(error, Assert.Throws<StoreException>(() => Reference.ParseNormalized(input)).Message);
    }

    [Theory]
    // remote name (path), familiar name, full name, ambiguous form, domain
    [InlineData("fooo/bar", "fooo/bar", "docker.io/fooo/bar", "index.docker.io/fooo/bar", "docker.io")]
    [InlineData("library/ubuntu", "ubuntu", "docker.io/library/ubuntu", "library/ubuntu", "docker.io")]
    [InlineData("nonlibrary/ubuntu", "nonlibrary/ubuntu", "docker.io/nonlibrary/ubuntu", null, "docker.io")]
    [InlineData("other/library", "other/library", "docker.io/other/library", null, "docker.io")]
    [InlineData("private/moonbase", "127.0.0.1:8000/private/moonbase", "127.0.0.1:8000/private/moonbase", null, "127.0.0.1:8000")]
    [InlineData("privatebase", "127.0.0.1:8000/privatebase", "127.0.0.1:8000/privatebase", null, "127.0.0.1:8000")]
    [InlineData("private/moonbase", "example.com/private/moonbase", "example.com/private/moonbase", null, "example.com")]
    [InlineData("privatebase", "example.com/privatebase", "example.com/privatebase", null, "example.com")]
    [InlineData("private/moonbase", "example.com:8000/private/moonbase", "example.com:8000/private/moonbase", null, "example.com:8000")]
    [InlineData("privatebasee", "example.com:8000/privatebasee", "example.com:8000/privatebasee", null, "example.com:8000")]
    [InlineData("library/ubuntu-12.04-base", "ubuntu-12.04-base", "docker.io/library/ubuntu-12.04-base", "index.docker.io/library/ubuntu-12.04-base", "docker.io")]
    [InlineData("library/foo", "foo", "docker.io/library/foo", "docker.io/foo", "docker.io")]
    [InlineData("library/foo/bar", "library/foo/bar", "docker.io/library/foo/bar", null, "docker.io")]
    [InlineData("store/foo/bar", "store/foo/bar", "docker.io/store/foo/bar", null, "docker.io")]
    [InlineData("bar", "Foo/bar", "Foo/bar", null, "Foo")]
    [InlineData("bar", "FOO/bar", "FOO/bar", null, "FOO")]
    public void Repository_info(string remoteName, string familiarName, string fullName, string? ambiguousName, string domain)
    {
        foreach (string input in new[] { familiarName, fullName, ambiguousName }.OfType<string>())
        {
            Reference reference = Reference.ParseNormalized(input);

            Assert.Equal(familiarName, reference.FamiliarName);
            Assert.Equal(fullName, reference.ToString());
            Assert.Equal(domain, reference.Domain);
            Assert.Equal(remoteName, reference.Path);
        }
    }

    [Theory]
    [InlineData("busybox", "docker.io/library/busybox", "busybox:latest", "docker.io/library/busybox:latest")]
    [InlineData("user/img", "docker.io/user/img", "user/img:latest", "docker.io/user/img:latest")]
    [InlineData("index.docker.io/user/img:1", "docker.io/user/img:1", "user/img:1", "docker.io/user/img:1")]
    [InlineData("docker.io/library/busybox:1.36", "docker.io/library/busybox:1.36", "busybox:1.36", "docker.io/library/busybox:1.36")]
    [InlineData("localhost:5000/app", "localhost:5000/app", "localhost:5000/app:latest", "localhost:5000/app:latest")]
    [InlineData("localhost/app", "localhost/app", "localhost/app:latest", "localhost/app:latest")]
    [InlineData("[::1]:5000/app:v2", "[::1]:5000/app:v2", "[::1]:5000/app:v2", "[::1]:5000/app:v2")]
    public void Familiar_input_is_normalised_and_shown_familiar_again(string input, string normalized, string familiarTagged, string fullTagged)
    {
        Reference reference = Reference.ParseNormalized(input);
        Reference tagged = reference.WithDefaultTag();

        Assert.Equal(normalized, reference.ToString());
        Assert.Equal(familiarTagged, tagged.FamiliarString);
        Assert.Equal(fullTagged, tagged.ToString());
        Assert.Equal(tagged, Reference.ParseNormalized(familiarTagged));
    }

    [Fact]
    public void Tag_and_digest_together()
    {
        const string ShortRef = "busybox:latest@sha256:86e0e091d0da6bde2456dbb48306f3956bbeb2eae1b5b9a43045843f69fe4aaa";

        Reference reference = Reference.ParseNormalized(ShortRef);

        Assert.Equal("docker.io/library/" + ShortRef, reference.ToString());
        Assert.Equal("latest", reference.Tag);
        Assert.Equal("sha256:86e0e091d0da6bde2456dbb48306f3956bbeb2eae1b5b9a43045843f69fe4aaa", reference.Digest.ToString());
        Assert.Equal(ShortRef, reference.FamiliarString);
        Assert.Same(reference, reference.WithDefaultTag());
        Assert.Equal("docker.io/library/busybox", reference.WithoutTagOrDigest().ToString());
    }

    [Theory]
    [InlineData("redis", "docker.io/library/redis")]
    [InlineData("redis:latest", "docker.io/library/redis:latest")]
    [InlineData("docker.io/library/redis:latest", "docker.io/library/redis:latest")]
    [InlineData("redis@sha256:dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9c", "docker.io/library/redis@sha256:dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9c")]
    [InlineData("docker.io/library/redis@sha256:dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9c", "docker.io/library/redis@sha256:dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9c")]
    [InlineData("dmcgowan/myapp", "docker.io/dmcgowan/myapp")]
    [InlineData("dmcgowan/myapp:latest", "docker.io/dmcgowan/myapp:latest")]
    [InlineData("docker.io/mcgowan/myapp:latest", "docker.io/mcgowan/myapp:latest")]
    [InlineData("dmcgowan/myapp@sha256:dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9c", "docker.io/dmcgowan/myapp@sha256:dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9c")]
    [InlineData("docker.io/dmcgowan/myapp@sha256:dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9c", "docker.io/dmcgowan/myapp@sha256:dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9c")]
    [InlineData("dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9", "docker.io/library/dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9")]
    [InlineData("dbcc1", "docker.io/library/dbcc1")]
    public void ParseAny_takes_names(string input, string equivalent)
    {
        Reference reference = Reference.ParseAny(input);

        Assert.False(reference.IsDigestOnly);
        Assert.Equal(equivalent, reference.ToString());
        Assert.Equal(Reference.Parse(equivalent), reference);
    }

    [Theory]
    [InlineData("dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9c")]
    [InlineData("sha256:dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9c")]
    public void ParseAny_takes_image_ids_as_digests(string input)
    {
        Reference reference = Reference.ParseAny(input);

        Assert.True(reference.IsDigestOnly);
        Assert.Equal("sha256:dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9c", reference.ToString());
        Assert.Equal(reference.ToString(), reference.FamiliarString);
        Assert.Equal("", reference.Name);
        Assert.Throws<InvalidOperationException>(() => reference.WithTag("latest"));
        Assert.Same(reference, reference.WithDefaultTag());
    }

    [Theory]
    [InlineData("test.com/foo", "test.com", "foo")]
    [InlineData("test_com/foo", "docker.io", "test_com/foo")]
    [InlineData("docker/migrator", "docker.io", "docker/migrator")]
    [InlineData("test.com:8080/foo", "test.com:8080", "foo")]
    [InlineData("test-com:8080/foo", "test-com:8080", "foo")]
    [InlineData("foo", "docker.io", "library/foo")]
    [InlineData("xn--n3h.com/foo", "xn--n3h.com", "foo")]
    [InlineData("xn--n3h.com:18080/foo", "xn--n3h.com:18080", "foo")]
    [InlineData("docker.io/foo", "docker.io", "library/foo")]
    [InlineData("docker.io/library/foo", "docker.io", "library/foo")]
    [InlineData("docker.io/library/foo/bar", "docker.io", "library/foo/bar")]
    [InlineData("localhost", "docker.io", "library/localhost")]
    public void Domain_and_path_of_normalised_names(string input, string domain, string path)
    {
        Reference reference = Reference.ParseNormalized(input);

        Assert.Equal((domain, path), (reference.Domain, reference.Path));
    }

    [Theory]
    [InlineData("busybox", "docker.io/library/busybox:latest")]
    [InlineData("busybox:latest", "docker.io/library/busybox:latest")]
    [InlineData("busybox@sha256:e6693c20186f837fc393390135d8a598a96a833917917789d63766cab6c59582", "docker.io/library/busybox@sha256:e6693c20186f837fc393390135d8a598a96a833917917789d63766cab6c59582")]
    [InlineData("library/busybox", "docker.io/library/busybox:latest")]
    [InlineData("docker.io/busybox", "docker.io/library/busybox:latest")]
    [InlineData("docker.io/library/busybox", "docker.io/library/busybox:latest")]
    [InlineData("docker.io/busybox:latest", "docker.io/library/busybox:latest")]
    [InlineData("library/busybox:latest", "docker.io/library/busybox:latest")]
    [InlineData("docker.io/library/busybox:latest", "docker.io/library/busybox:latest")]
    [InlineData("gcr.io/library/busybox", "gcr.io/library/busybox:latest")]
    [InlineData("gcr.io/library/busybox:latest@sha256:e6693c20186f837fc393390135d8a598a96a833917917789d63766cab6c59582", "gcr.io/library/busybox@sha256:e6693c20186f837fc393390135d8a598a96a833917917789d63766cab6c59582")]
    public void ParseDockerRef_tags_or_keeps_the_digest_only(string input, string expected)
    {
        Reference reference = Reference.ParseDockerRef(input);

        Assert.Equal(expected, reference.ToString());
        Assert.Equal(reference, Reference.Parse(expected));
    }

    [Theory]
    [InlineData("foo", "foo/**/ba[rz]", false)]
    [InlineData("foo/any/bat", "foo/**/ba[rz]", false)]
    [InlineData("foo/a/bar", "foo/**/ba[rz]", true)]
    [InlineData("foo/b/baz", "foo/**/ba[rz]", true)]
    [InlineData("foo/c/baz:tag", "foo/**/ba[rz]", true)]
    [InlineData("foo/c/baz:tag", "foo/*/baz:tag", true)]
    [InlineData("foo/c/baz:tag", "foo/c/baz:tag", true)]
    [InlineData("example.com/foo/c/baz:tag", "*/foo/c/baz", true)]
    [InlineData("example.com/foo/c/baz:tag", "example.com/foo/c/baz", true)]
    [InlineData("busybox:latest", "busy*", true)]
    [InlineData("busybox:latest", "b?sybox", true)]
    [InlineData("busybox:latest", "[^a]usybox:*", true)]
    [InlineData("busybox:latest", "alpine", false)]
    [InlineData("user/app:1", "user*", false)]
    [InlineData("user/app:1", "user/*", true)]
    public void FamiliarMatch_matches_the_familiar_string_or_name(string reference, string pattern, bool expected)
    {
        Assert.Equal(expected, Reference.ParseAny(reference).FamiliarMatch(pattern));
    }

    [Theory]
    [InlineData("[-x]")]
    [InlineData("[x")]
    [InlineData("x\\")]
    [InlineData("a*[")]
    public void FamiliarMatch_refuses_bad_patterns(string pattern)
    {
        Assert.Equal("syntax error in pattern", Assert.Throws<StoreException>(() => Reference.ParseAny("foo").FamiliarMatch(pattern)).Message);
    }

    [Fact]
    public void Equality_is_by_value()
    {
        Assert.Equal(Reference.ParseNormalized("busybox:1"), Reference.Parse("docker.io/library/busybox:1"));
        Assert.True(Reference.ParseNormalized("busybox") == Reference.ParseNormalized("docker.io/library/busybox"));
        Assert.NotEqual(Reference.ParseNormalized("busybox"), Reference.ParseNormalized("busybox:latest"));
        Assert.Equal(
            Reference.ParseNormalized("busybox:1").GetHashCode(),
            Reference.ParseNormalized("index.docker.io/library/busybox:1").GetHashCode());
    }
}
