using Berth.Cli.Client;
using Berth.Cli.CommandLine;
using Berth.Cli.Options;

namespace Berth.Cli.Tests.Options;

/// <summary>
/// <c>berth build --secret</c> parsed as buildx parses it (util/buildflags/secrets.go) and read as buildkit's
/// secretsprovider reads it: the sources, their defaults, the limits and the errors' words.
/// </summary>
public sealed class BuildSecretTests : IDisposable
{
    readonly string _dir = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), Berth.TestSupport.TestIds.New("secret-flag"))).FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    static readonly Dictionary<string, string> Env = new() { ["TOKEN"] = "from-env", ["OTHER"] = "other" };

    static string? Lookup(string name) => Env.GetValueOrDefault(name);

    [Theory]
    [InlineData("id=mysecret,src=/run/key", "mysecret", "/run/key", null)]
    [InlineData("id=mysecret,source=/run/key", "mysecret", "/run/key", null)]
    [InlineData("ID=mysecret,SRC=/run/key", "mysecret", "/run/key", null)]
    [InlineData("id=TOKEN,env=OTHER", "TOKEN", null, "OTHER")]
    [InlineData("type=env,id=x,src=OTHER", "x", null, "OTHER")]
    [InlineData("type=file,id=x,src=OTHER", "x", "OTHER", null)]
    [InlineData("id=TOKEN", "TOKEN", null, "TOKEN")] // a variable of the id's name is set: that variable
    [InlineData("id=unset", "unset", "unset", null)] // none: the file of that name
    [InlineData("\"id=a,b\",src=f", "a,b", "f", null)]
    public void Parses_as_buildx(string flag, string id, string? file, string? env)
        => Assert.Equal(new BuildSecret(id, file, env), BuildSecret.Parse(flag, Lookup));

    [Theory]
    [InlineData("id", "invalid field 'id' must be a key=value pair")]
    [InlineData("id=a,color=red", "unexpected key 'color' in 'color=red'")]
    [InlineData("id=a,type=ssh", "unsupported secret type \"ssh\"")]
    [InlineData("src=/run/key", "secret missing ID")]
    [InlineData("\"id=a,src=f", "parse error: extraneous or missing \" in quoted-field: \"id=a,src=f")]
    public void Refuses_with_buildx_words(string flag, string message)
        => Assert.Equal(message, Assert.Throws<FlagValueException>(() => BuildSecret.Parse(flag, Lookup)).Message);

    [Fact]
    public void Reads_files_and_variables_and_keeps_to_500KB()
    {
        string file = Path.Combine(_dir, "key");
        File.WriteAllBytes(file, [1, 2, 0, 255]);
        var secrets = BuildSecret.Load([$"id=file,src={file}", "id=TOKEN", "id=empty,env=UNSET_VARIABLE"], Lookup);
        Assert.Equal([1, 2, 0, 255], secrets["file"]);
        Assert.Equal("from-env"u8.ToArray(), secrets["TOKEN"]);
        Assert.Empty(secrets["empty"]); // os.Getenv of an unset variable: an empty secret, as buildkit

        string missing = Path.Combine(_dir, "missing");
        Assert.Equal($"failed to stat {missing}: stat {missing}: no such file or directory",
            Assert.Throws<CliException>(() => BuildSecret.Load([$"id=m,src={missing}"], Lookup)).Message);

        string big = Path.Combine(_dir, "big");
        File.WriteAllBytes(big, new byte[BuildSecret.MaxSize]);
        Assert.Equal(BuildSecret.MaxSize, BuildSecret.Load([$"id=big,src={big}"], Lookup)["big"].Length);
        File.WriteAllBytes(big, new byte[BuildSecret.MaxSize + 1]);
        Assert.Equal("secret big too big. max size 500KB", Assert.Throws<CliException>(() => BuildSecret.Load([$"id=big,src={big}"], Lookup)).Message);
    }
}
