using System.Text;
using Berth.Cli.Client;
using Berth.Cli.Output;

namespace Berth.Cli.Tests.Output;

/// <summary>The jsonmessage stream of pulls, loads and imports, shown as docker shows it.</summary>
public class JsonMessagesTests
{
    const string Pull =
        "{\"status\":\"Pulling from library/busybox\",\"id\":\"latest\"}\n"
        + "{\"status\":\"Pulling fs layer\",\"progressDetail\":{},\"id\":\"a1\"}\n"
        + "{\"status\":\"Downloading\",\"progressDetail\":{\"current\":10,\"total\":20},\"progress\":\"[=====>     ]  10B/20B\",\"id\":\"a1\"}\n"
        + "{\"status\":\"Pull complete\",\"progressDetail\":{},\"id\":\"a1\"}\n"
        + "{\"status\":\"Digest: sha256:abc\"}\n"
        + "{\"status\":\"Status: Downloaded newer image for busybox:latest\"}\n";

    static string Show(string stream, bool terminal)
    {
        var output = new StringWriter();
        JsonMessages.DisplayAsync(new MemoryStream(Encoding.UTF8.GetBytes(stream)), output, terminal).GetAwaiter().GetResult();
        return output.ToString();
    }

    [Fact]
    public void A_pipe_gets_plain_lines_without_progress_bars()
    {
        Assert.Equal("latest: Pulling from library/busybox\na1: Pulling fs layer\na1: Pull complete\nDigest: sha256:abc\n"
            + "Status: Downloaded newer image for busybox:latest\n", Show(Pull, terminal: false));
    }

    [Fact]
    public void A_terminal_gets_each_layer_redrawn_on_its_line()
    {
        string shown = Show(Pull, terminal: true);
        Assert.StartsWith("\n\x1b[1Alatest: Pulling from library/busybox\n\x1b[1B\n\x1b[1A\x1b[2K\ra1: Pulling fs layer \r\x1b[1B", shown);
        Assert.Contains("\x1b[1A\x1b[2K\ra1: Downloading [=====>     ]  10B/20B\r\x1b[1B", shown);
        Assert.EndsWith("Digest: sha256:abc\nStatus: Downloaded newer image for busybox:latest\n", shown);
    }

    [Fact]
    public void Stream_text_passes_and_errors_end_the_stream()
    {
        Assert.Equal("Loaded image: busybox:latest\n", Show("{\"stream\":\"Loaded image: busybox:latest\\n\"}\n", false));
        var e = Assert.Throws<CliException>(() => Show("{\"status\":\"x\"}\n{\"errorDetail\":{\"message\":\"pull access denied\"},\"error\":\"pull access denied\"}\n", false));
        Assert.Equal("pull access denied", e.Message);
    }
}
