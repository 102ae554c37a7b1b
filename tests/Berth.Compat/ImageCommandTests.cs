using Berth.TestSupport;

namespace Berth.Compat;

/// <summary>The docker CLI's image commands against berthd: images, inspect, history, tag, rmi, save, load, import, commit.</summary>
public sealed class ImageCommandTests(BerthdFixture fixture) : IClassFixture<BerthdFixture>
{
    readonly BerthDaemon _d = fixture.Daemon;
    const string Image = BerthDaemon.Image;

    [Fact]
    public void Images_lists_the_imported_image_and_inspect_shows_docker_s_fields()
    {
        var list = _d.Cli("images", "--format", "{{.Repository}}:{{.Tag}} {{.ID}}").EnsureSuccess("docker images");
        string id = _d.Cli("image", "inspect", "--format", "{{.Id}}", Image).EnsureSuccess("docker image inspect").Stdout.Trim();
        Assert.Matches("^sha256:[0-9a-f]{64}$", id);
        Assert.Contains($"{Image} {id[7..19]}", list.Stdout);
        Assert.Equal("linux amd64 layers 1", _d.Cli("image", "inspect", "--format", "{{.Os}} {{.Architecture}} {{.RootFS.Type}} {{len .RootFS.Layers}}", Image).Stdout.Trim());
        var history = _d.Cli("history", "--format", "{{.CreatedBy}}|{{.Comment}}", Image).EnsureSuccess("docker history");
        Assert.Contains("Imported from -", history.Stdout);
    }

    [Fact]
    public void Tag_then_rmi_untags_and_keeps_the_image()
    {
        _d.Cli("tag", Image, "compat/tagged:v1").EnsureSuccess("docker tag");
        Assert.Contains("compat/tagged:v1", _d.Cli("images", "--format", "{{.Repository}}:{{.Tag}}").Stdout);
        var rmi = _d.Cli("rmi", "compat/tagged:v1").EnsureSuccess("docker rmi");
        Assert.Equal("Untagged: compat/tagged:v1\n", rmi.Stdout);
        Assert.Contains(Image, _d.Cli("images", "--format", "{{.Repository}}:{{.Tag}}").Stdout);
        var missing = _d.Cli("rmi", "compat/never-was:v1");
        Assert.Contains("No such image: compat/never-was:v1", missing.Stderr);
    }

    [Fact]
    public void Save_and_load_round_trip_keeps_the_image_id()
    {
        string tar = _d.PathOf("saved.tar");
        _d.Cli("tag", Image, "compat/saved:v1").EnsureSuccess("docker tag");
        string id = _d.Cli("image", "inspect", "--format", "{{.Id}}", "compat/saved:v1").Stdout.Trim();
        _d.Cli("save", "-o", tar, "compat/saved:v1").EnsureSuccess("docker save");
        _d.Cli("rmi", "compat/saved:v1").EnsureSuccess("docker rmi");
        var load = _d.Cli("load", "-i", tar).EnsureSuccess("docker load");
        Assert.Contains("Loaded image: compat/saved:v1", load.Stdout);
        Assert.Equal(id, _d.Cli("image", "inspect", "--format", "{{.Id}}", "compat/saved:v1").Stdout.Trim());
        _d.Cli("rmi", "compat/saved:v1");
    }

    [Fact]
    public void Commit_makes_an_image_with_the_container_s_changes()
    {
        const string name = "compat-commit";
        try
        {
            _d.Cli("run", "--name", name, Image, "sh", "-c", "echo committed > /greeting").EnsureSuccess("docker run");
            var diff = _d.Cli("diff", name).EnsureSuccess("docker diff");
            Assert.Contains("A /greeting", diff.Stdout);
            _d.Cli("commit", "-c", "CMD [\"cat\", \"/greeting\"]", name, "compat/committed:v1").EnsureSuccess("docker commit");
            var run = _d.Cli("run", "--rm", "compat/committed:v1");
            Assert.Equal("committed\n", run.Stdout);
        }
        finally
        {
            _d.Cli("rm", "-f", name);
            _d.Cli("rmi", "compat/committed:v1");
        }
    }
}
