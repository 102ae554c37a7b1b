namespace Berth.Oci;

/// <summary>
/// An OCI JSON document could not be read: the file is missing or unreadable, the JSON is malformed, or a
/// value has the wrong type. The message names the file and the JSON path, e.g.
/// <c>config.json: invalid value at $.process.user.uid: expected uint32, got string "root"</c>.
/// </summary>
public sealed class OciFormatException : Exception
{
    public OciFormatException(string message, string fileName, string? jsonPath = null, long? line = null, long? column = null, Exception? innerException = null)
        : base(message, innerException)
    {
        FileName = fileName;
        JsonPath = jsonPath;
        Line = line;
        Column = column;
    }

    /// <summary>The file (or the name given for a buffer) that was read, e.g. <c>config.json</c>.</summary>
    public string FileName { get; }

    /// <summary>Where in the document reading failed (<c>$.linux.namespaces[0].type</c>); null for file errors.</summary>
    public string? JsonPath { get; }

    /// <summary>1-based line of the failure, when known.</summary>
    public long? Line { get; }

    /// <summary>1-based byte column of the failure, when known.</summary>
    public long? Column { get; }
}
