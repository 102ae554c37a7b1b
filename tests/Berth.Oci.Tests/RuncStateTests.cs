using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Berth.Oci.Runtime;
using Berth.Oci.Tests.Reference;

namespace Berth.Oci.Tests;

/// <summary>
/// State JSON compared with what the real runc prints for a real container: read by the serializer (Berth.Oci reads
/// only the documents a runtime is given), written back by OciJson.
/// </summary>
public sealed partial class RuncStateTests(RuncContainer container) : IClassFixture<RuncContainer>
{
    [Fact]
    public void State_field_order_equals_runcs()
    {
        ContainerState state = new()
        {
            OciVersion = OciVersion.Runc, Id = "x", Pid = 1, Status = ContainerStatus.Running, Bundle = "/b", Rootfs = "/b/rootfs",
            Created = DateTimeOffset.UnixEpoch, Annotations = new() { ["k"] = "v" }, Owner = "",
        };

        string[] runcs = Keys(container.State);

        Assert.Equal(["ociVersion", "id", "pid", "status", "bundle", "rootfs", "created", "annotations", "owner"], runcs);
        Assert.Equal(runcs, Keys(OciJson.WriteIndented(state, ' ', 2)));
    }

    [Fact]
    public void Runc_state_reads_and_writes_back_as_runc_prints_it()
    {
        ContainerState state = Serializer.ReadValid<ContainerState>(container.State);

        Assert.Equal(container.Id, state.Id);
        Assert.Equal(ContainerStatus.Created, state.Status);
        Assert.True(state.Pid > 0);
        Assert.Equal(container.Bundle, state.Bundle);
        Assert.Equal("<&> grüße", state.Annotations!["io.berth.test"]);
        Assert.Equal("", state.Owner);
        AssertSameExceptCreatedPrecision(container.State, OciJson.WriteIndented(state, ' ', 2));
    }

    [Fact]
    public void Runc_list_reads_and_writes_back_as_runc_prints_it()
    {
        List<ContainerState> list = Serializer.ReadValid<List<ContainerState>>(container.List);

        ContainerState state = Assert.Single(list, s => s.Id == container.Id);
        Assert.NotEqual("", state.Owner);
        // runc list writes with a json.Encoder, which ends the document with a newline.
        AssertSameExceptCreatedPrecision(container.List, [.. OciJson.WriteCompact(list), (byte)'\n']);
    }

    [Fact]
    public void Hook_state_is_byte_identical_to_what_runc_passes_to_hooks()
    {
        HookState state = Serializer.ReadValid<HookState>(container.HookState);

        Assert.Equal(ContainerStatus.Creating, state.Status);
        Assert.True(state.Pid > 0);
        DefaultSpecTests.AssertBytes(container.HookState, OciJson.WriteCompact(state));
    }

    // DateTimeOffset holds 100 ns ticks: Berth writes at most seven fractional digits where runc writes nine.
    private static void AssertSameExceptCreatedPrecision(byte[] runc, byte[] berth)
    {
        string expected = Encoding.UTF8.GetString(runc);
        string actual = Encoding.UTF8.GetString(berth);
        List<string> runcTimes = [.. Created().Matches(expected).Select(m => m.Groups[1].Value)];
        List<string> berthTimes = [.. Created().Matches(actual).Select(m => m.Groups[1].Value)];
        Assert.NotEmpty(runcTimes);
        Assert.Equal(runcTimes.Select(TruncateToTicks), berthTimes);

        int i = 0;
        string normalized = Created().Replace(expected, m => m.Value.Replace(m.Groups[1].Value, berthTimes[i++], StringComparison.Ordinal));
        Assert.Equal(normalized, actual);
    }

    private static string TruncateToTicks(string time)
    {
        Match m = Regex.Match(time, @"^(.*T\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$");
        Assert.True(m.Success, time);
        string fraction = m.Groups[2].Value.Length > 7 ? m.Groups[2].Value[..7] : m.Groups[2].Value;
        fraction = fraction.TrimEnd('0');
        return m.Groups[1].Value + (fraction.Length > 0 ? "." + fraction : "") + m.Groups[3].Value;
    }

    private static string[] Keys(byte[] json)
    {
        using JsonDocument document = JsonDocument.Parse(json);
        return [.. document.RootElement.EnumerateObject().Select(p => p.Name)];
    }

    [GeneratedRegex("\"created\": ?\"([^\"]+)\"", RegexOptions.CultureInvariant)]
    private static partial Regex Created();
}
