using System.Text;
using Berth.Engine.Health;

namespace Berth.Engine.Tests.Health;

/// <summary>A probe's output as Docker keeps it (moby's limitedBuffer): 4096 bytes, then "...".</summary>
public sealed class ProbeOutputTests
{
    [Fact]
    public void Short_output_is_kept_as_written()
    {
        var output = new ProbeOutput();
        output.Append("out\n"u8);
        output.Append("err\n"u8);
        Assert.Equal("out\nerr\n", output.ToString());
    }

    [Fact]
    public void Output_past_4096_bytes_is_dropped_and_marked()
    {
        var output = new ProbeOutput();
        output.Append(Encoding.ASCII.GetBytes(new string('a', 4000)));
        output.Append(Encoding.ASCII.GetBytes(new string('b', 200)));
        output.Append("c"u8);
        string text = output.ToString();
        Assert.Equal(new string('a', 4000) + new string('b', 96) + "...", text);
    }

    [Fact]
    public void Exactly_4096_bytes_are_not_marked()
    {
        var output = new ProbeOutput();
        output.Append(Encoding.ASCII.GetBytes(new string('a', ProbeOutput.MaxLength)));
        Assert.Equal(new string('a', ProbeOutput.MaxLength), output.ToString());
    }
}
