using System.Text.Json.Serialization;

namespace Berth.Engine.Shims;

/// <summary>The readiness line: ready (the shim serves; the container is not created yet), or why the shim cannot serve.</summary>
internal sealed class ShimReadyLine
{
    public bool? Ready { get; set; }

    public string? Error { get; set; }
}

/// <summary>exit.json: Docker's names for the same facts (State.ExitCode, FinishedAt, OOMKilled).</summary>
internal sealed class ShimExitDocument
{
    public int ExitCode { get; set; }

    public string FinishedAt { get; set; } = "";

    public bool OOMKilled { get; set; }
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ShimReadyLine))]
[JsonSerializable(typeof(ShimExitDocument))]
internal sealed partial class ShimJson : JsonSerializerContext
{
}
