namespace Berth.Distribution.Server;

/// <summary>
/// The distribution spec's error codes, with the status and message distribution (the reference registry) gives
/// each, so clients that print them (docker, skopeo, containerd) say what they say against any registry.
/// </summary>
public sealed record RegistryErrorCode(string Code, int Status, string Message)
{
    public static readonly RegistryErrorCode BlobUnknown = new("BLOB_UNKNOWN", 404, "blob unknown to registry");
    public static readonly RegistryErrorCode BlobUploadInvalid = new("BLOB_UPLOAD_INVALID", 400, "blob upload invalid");
    public static readonly RegistryErrorCode BlobUploadUnknown = new("BLOB_UPLOAD_UNKNOWN", 404, "blob upload unknown to registry");
    public static readonly RegistryErrorCode DigestInvalid = new("DIGEST_INVALID", 400, "provided digest did not match uploaded content");
    public static readonly RegistryErrorCode ManifestBlobUnknown = new("MANIFEST_BLOB_UNKNOWN", 404, "blob unknown to registry");
    public static readonly RegistryErrorCode ManifestInvalid = new("MANIFEST_INVALID", 400, "manifest invalid");
    public static readonly RegistryErrorCode ManifestUnknown = new("MANIFEST_UNKNOWN", 404, "manifest unknown");
    public static readonly RegistryErrorCode NameInvalid = new("NAME_INVALID", 400, "invalid repository name");
    public static readonly RegistryErrorCode NameUnknown = new("NAME_UNKNOWN", 404, "repository name not known to registry");
    public static readonly RegistryErrorCode SizeInvalid = new("SIZE_INVALID", 400, "provided length did not match content length");
    public static readonly RegistryErrorCode TagInvalid = new("TAG_INVALID", 400, "manifest tag did not match URI");
    public static readonly RegistryErrorCode Unauthorized = new("UNAUTHORIZED", 401, "authentication required");
    public static readonly RegistryErrorCode Denied = new("DENIED", 403, "requested access to the resource is denied");
    public static readonly RegistryErrorCode Unsupported = new("UNSUPPORTED", 405, "The operation is unsupported.");
    public static readonly RegistryErrorCode RangeInvalid = new("RANGE_INVALID", 416, "invalid content range");
    public static readonly RegistryErrorCode PaginationNumberInvalid = new("PAGINATION_NUMBER_INVALID", 400, "invalid number of results requested");
}

/// <summary>A request the registry refuses: answered with the code's status and the spec's error body.</summary>
public sealed class RegistryException(RegistryErrorCode code, string? detail = null) : Exception(detail is null ? code.Message : $"{code.Message}: {detail}")
{
    public RegistryErrorCode Code { get; } = code;

    /// <summary>What the error body's <c>detail</c> carries (the digest, the name, the reason), or null.</summary>
    public string? Detail { get; } = detail;
}
