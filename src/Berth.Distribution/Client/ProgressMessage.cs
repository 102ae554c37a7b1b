namespace Berth.Distribution.Client;

/// <summary>
/// One line of Docker's pull/push progress, before it is JSON: a status, for a layer (<see cref="Id"/>, its short
/// digest) or the whole operation (a tag, or none); <see cref="Detail"/> says the line carries a progressDetail
/// (every per-layer line does, empty unless <see cref="Total"/> is known); <see cref="Aux"/> is push's final
/// tag/digest/size record.
/// </summary>
public sealed record ProgressMessage(string Status, string? Id = null, bool Detail = false, long Current = 0, long Total = 0)
{
    public PushResultAux? Aux { get; init; }

    /// <summary>A layer's line: its state, with an empty progressDetail.</summary>
    public static ProgressMessage Layer(string id, string status) => new(status, id, Detail: true);

    /// <summary>A layer's bar: Downloading, Extracting, Pushing.</summary>
    public static ProgressMessage Bar(string id, string status, long current, long total) => new(status, id, true, current, total);
}

/// <summary>What a push ends with in Docker's stream: <c>{"aux":{"Tag":..,"Digest":..,"Size":..}}</c>.</summary>
public sealed record PushResultAux(string Tag, string Digest, long Size);

/// <summary>Short IDs of layers as Docker's progress shows them: the first 12 hex digits.</summary>
public static class ProgressIds
{
    public static string Short(Berth.Oci.Digest digest) => digest.Encoded.Length > 12 ? digest.Encoded[..12] : digest.Encoded;
}
