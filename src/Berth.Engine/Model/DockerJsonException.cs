namespace Berth.Engine.Model;

/// <summary>
/// A JSON document that does not fit the Docker API type it was read as. The message reads like Go's encoding/json
/// error that Docker would return (<c>json: cannot unmarshal string into Go struct field HostConfig.Memory of type
/// int64</c>); the properties say the same for code.
/// </summary>
public sealed class DockerJsonException : Exception
{
    public DockerJsonException(string message, string? field = null, string? expectedType = null, string? found = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Field = field;
        ExpectedType = expectedType;
        Found = found;
    }

    /// <summary>The field as Go names it (<c>ContainerCreateRequest.HostConfig.Memory</c>), or null for a syntax error.</summary>
    public string? Field { get; }

    /// <summary>The field's type in Go's notation (<c>int64</c>, <c>[]string</c>, <c>map[string]string</c>), if known.</summary>
    public string? ExpectedType { get; }

    /// <summary>What the document had there (<c>string</c>, <c>number 1.5</c>, <c>object</c>, ...), if known.</summary>
    public string? Found { get; }
}
