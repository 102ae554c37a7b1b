namespace Berth.Build.Copy;

/// <summary>
/// What one COPY or ADD asks of the file side, its words already expanded (the executor's job): the same fields as
/// <see cref="Dockerfile.CopyInstruction"/>, plus where it runs (the stage's WORKDIR).
/// </summary>
public sealed record CopyOptions
{
    public bool IsAdd { get; init; }

    /// <summary>Source paths relative to the source root (the context, or a stage's or image's root for --from); for ADD, URLs too.</summary>
    public IReadOnlyList<string> Sources { get; init; } = [];

    public string Destination { get; init; } = "";

    /// <summary>The stage's WORKDIR, which a relative destination is relative to.</summary>
    public string WorkingDir { get; init; } = "/";

    /// <summary>"user", "user:group", numbers or names resolved in the destination's /etc/passwd and /etc/group.</summary>
    public string? Chown { get; init; }

    /// <summary>An octal mode for everything copied.</summary>
    public string? Chmod { get; init; }

    public IReadOnlyList<string> Excludes { get; init; } = [];

    public bool Parents { get; init; }

    /// <summary>ADD --checksum=sha256:... for a URL source.</summary>
    public string? Checksum { get; init; }

    /// <summary>The source root is the build context (its errors say so), not a stage or image (--from).</summary>
    public bool FromContext { get; init; } = true;

    /// <summary>The mtime of files made from here-documents (SOURCE_DATE_EPOCH when set; 0 otherwise, for reproducible layers).</summary>
    public long HeredocTime { get; init; }

    public string Keyword => IsAdd ? "ADD" : "COPY";
}

/// <summary>Parsing of --chmod: octal only.</summary>
public static class ChmodParser
{
    public static uint? Parse(string? chmod)
    {
        if (string.IsNullOrEmpty(chmod))
            return null;
        uint mode = 0;
        foreach (char c in chmod)
        {
            if (c is < '0' or > '7' || mode > 0xFFF >> 3)
                throw new Context.BuildContextException($"invalid chmod parameter: {chmod}: only octal modes (such as 0755) are supported");
            mode = mode * 8 + (uint)(c - '0');
        }
        return mode;
    }
}
