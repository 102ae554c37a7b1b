using System.Text;
using Berth.Api.Endpoints;
using Berth.Distribution.Client;

namespace Berth.Api.Tests.Endpoints;

/// <summary>Pull and push progress as dockerd writes it (jsonmessage.JSONMessage, JSONProgress.String at width 200).</summary>
public sealed class ProgressResponseTests
{
    static string Line(ProgressMessage m) => Encoding.UTF8.GetString(ProgressResponse.Line(m));

    [Fact]
    public void Messages_have_docker_s_fields_in_docker_s_order()
    {
        Assert.Equal("{\"status\":\"Pulling from library/busybox\",\"id\":\"latest\"}\r\n", Line(new ProgressMessage("Pulling from library/busybox", "latest")));
        Assert.Equal("{\"status\":\"Pulling fs layer\",\"progressDetail\":{},\"id\":\"0123456789ab\"}\r\n", Line(ProgressMessage.Layer("0123456789ab", "Pulling fs layer")));
        Assert.Equal("{\"status\":\"Downloading\",\"progressDetail\":{\"current\":32768,\"total\":2591575},\"progress\":\"[\\u003e                                                  ]  32.77kB/2.592MB\",\"id\":\"0123456789ab\"}\r\n",
            Line(ProgressMessage.Bar("0123456789ab", "Downloading", 32768, 2591575)).Replace("\\u003E", "\\u003e"));
        Assert.Equal("{\"progressDetail\":{},\"aux\":{\"Tag\":\"v1\",\"Digest\":\"sha256:00\",\"Size\":528}}\r\n",
            Line(new ProgressMessage("", Detail: true) { Aux = new PushResultAux("v1", "sha256:00", 528) }));
        Assert.Equal("{\"errorDetail\":{\"message\":\"boom\"},\"error\":\"boom\"}\r\n", Encoding.UTF8.GetString(ProgressResponse.ErrorLine("boom")));
    }

    [Theory]
    [InlineData(0, 0, "")]
    [InlineData(512, 1000, "[=========================>                         ]     512B/1kB")]
    [InlineData(1000, 1000, "[==================================================>]      1kB/1kB")]
    [InlineData(2500000, 0, "   2.5MB")]
    public void Bars_are_json_progress_strings(long current, long total, string bar)
        => Assert.Equal(bar, ProgressResponse.ProgressBar(current, total));
}
