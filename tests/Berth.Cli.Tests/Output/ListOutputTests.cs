using Berth.Cli.Output;
using Berth.Engine.Model;

namespace Berth.Cli.Tests.Output;

/// <summary>The ps and images tables: columns as docker pads them (tabwriter, minimum 10, padding 3).</summary>
public class ListOutputTests
{
    static ContainerSummary Container(string id, string name, string command, string status, long created) => new()
    {
        Id = id,
        Names = ["/" + name],
        Image = "busybox",
        ImageID = "sha256:" + new string('c', 64),
        Command = command,
        Created = created,
        State = "running",
        Status = status,
        Labels = new() { ["b"] = "2", ["a"] = "1" },
    };

    [Fact]
    public void Ps_table_matches_dockers_layout()
    {
        long created = DateTimeOffset.UtcNow.AddMinutes(-3).ToUnixTimeSeconds();
        var rows = new[]
        {
            Container("b1e0476878e1fa81d50650f7ade002041d501d89f46a8e98d288aacb16ed090f", "c2", "sleep 1000", "Up 2 minutes", created),
            Container("37a4b9db5a8765aa319f68df671591df854937c83ef791c872940dde42cf1aef", "c1", "sh -c 'while true; do sleep 1; done'", "Exited (0) 1 second ago", created),
        }.Select(c => ContainerRows.Row(c, trunc: true));
        var output = new StringWriter();
        ListOutput.Write(output, ContainerRows.DefaultTable, rows, ContainerRows.Headers);
        // Each column as wide as its widest cell plus 3 (at least 10); the last one not padded.
        static string Line(string id, string image, string command, string created, string status, string ports, string names) =>
            $"{id,-15}{image,-10}{command,-25}{created,-16}{status,-26}{ports,-10}{names}\n";
        Assert.Equal(
            Line("CONTAINER ID", "IMAGE", "COMMAND", "CREATED", "STATUS", "PORTS", "NAMES")
            + Line("b1e0476878e1", "busybox", "\"sleep 1000\"", "3 minutes ago", "Up 2 minutes", "", "c2")
            + Line("37a4b9db5a87", "busybox", "\"sh -c 'while true; …\"", "3 minutes ago", "Exited (0) 1 second ago", "", "c1"),
            output.ToString());
    }

    [Fact]
    public void Ps_rows_marshal_to_json_as_dockers_formatter_does()
    {
        var row = ContainerRows.Row(Container("b1e0476878e1fa81d50650f7ade002041d501d89f46a8e98d288aacb16ed090f", "c2", "sleep 1000", "Up 2 minutes", 0), true);
        var output = new StringWriter();
        ListOutput.Write(output, "{{json .}}", [row], ContainerRows.Headers);
        string json = output.ToString();
        Assert.StartsWith("{\"Command\":\"\\\"sleep 1000\\\"\",\"CreatedAt\":\"1970-01-01 00:00:00 +0000 UTC\",\"ID\":\"b1e0476878e1\",\"Image\":\"busybox\",\"Labels\":\"a=1,b=2\",\"LocalVolumes\":\"0\",\"Mounts\":\"\",\"Names\":\"c2\",\"Networks\":\"\",\"Platform\":null,\"Ports\":\"\",\"RunningFor\":\"", json);
        Assert.EndsWith("\",\"Size\":\"0B\",\"State\":\"running\",\"Status\":\"Up 2 minutes\"}\n", json);
    }

    [Fact]
    public void Label_method_reads_one_label()
    {
        var row = ContainerRows.Row(Container("abc", "c", "x", "Up", 0), true);
        var output = new StringWriter();
        ListOutput.Write(output, "{{.Label \"b\"}}|{{.Label \"none\"}}|{{.Labels}}", [row], ContainerRows.Headers);
        Assert.Equal("2||a=1,b=2\n", output.ToString());
    }

    [Fact]
    public void Images_table_shows_one_row_per_tag()
    {
        var image = new ImageSummary
        {
            Id = "sha256:32ac9f3cf8c5c14232442fe14d295240dfe9e4affc189e36d5bfe68025c4a88d",
            RepoTags = ["busybox:latest", "busybox:1.36", "registry.example:5000/team/tool:v1"],
            RepoDigests = ["busybox@sha256:" + new string('d', 64)],
            Created = DateTimeOffset.UtcNow.AddDays(-3).ToUnixTimeSeconds(),
            Size = 1984172,
            Containers = -1,
            SharedSize = -1,
        };
        var dangling = new ImageSummary { Id = "sha256:" + new string('e', 64), Created = image.Created, Size = 5, Containers = -1, SharedSize = -1 };
        var output = new StringWriter();
        string format = ImageRows.Format("", quiet: false, digest: false);
        ListOutput.Write(output, format, ImageRows.Rows([image, dangling], true, false, format), ImageRows.Headers);
        static string Line(string repository, string tag, string id, string created, string size) =>
            $"{repository,-34}{tag,-10}{id,-15}{created,-13}{size}\n";
        Assert.Equal(
            Line("REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE")
            + Line("busybox", "latest", "32ac9f3cf8c5", "3 days ago", "1.98MB")
            + Line("busybox", "1.36", "32ac9f3cf8c5", "3 days ago", "1.98MB")
            + Line("registry.example:5000/team/tool", "v1", "32ac9f3cf8c5", "3 days ago", "1.98MB")
            + Line("<none>", "<none>", "eeeeeeeeeeee", "3 days ago", "5B"),
            output.ToString());
    }

    [Fact]
    public void Images_with_digests_show_them_per_tag()
    {
        var image = new ImageSummary
        {
            Id = "sha256:" + new string('a', 64),
            RepoTags = ["busybox:latest"],
            RepoDigests = ["busybox@sha256:" + new string('d', 64)],
            Size = 1,
            Containers = -1,
            SharedSize = -1,
        };
        string format = ImageRows.Format("", false, digest: true);
        var output = new StringWriter();
        ListOutput.Write(output, "{{.Repository}} {{.Tag}} {{.Digest}}", ImageRows.Rows([image], true, true, format), ImageRows.Headers);
        Assert.Equal($"busybox latest sha256:{new string('d', 64)}\n", output.ToString());
    }
}
