using System.Net;
using System.Text.Json;

namespace Berth.Distribution.Client;

/// <summary>Turns a registry's error answers into <see cref="RegistryException"/>s worded as Docker's errcode package words them.</summary>
internal static class RegistryErrors
{
    /// <summary>The error of a response that was not a success: the first entry of its error body, else its status.</summary>
    public static async Task<RegistryException> FromResponseAsync(HttpResponseMessage response, string what, CancellationToken ct)
    {
        string? code = null, message = null;
        try
        {
            byte[] body = await response.Content.ReadAsByteArrayAsync(ct).ConfigureAwait(false);
            if (body.Length > 0 && JsonSerializer.Deserialize(body, RegistryJson.Default.ErrorBody)?.Errors is [var first, ..])
                (code, message) = (first.Code, first.Message);
        }
        catch (Exception e) when (e is JsonException or HttpRequestException or IOException)
        {
            // No readable body: the status says it.
        }
        var status = response.StatusCode;
        var kind = code switch
        {
            "MANIFEST_UNKNOWN" or "NAME_UNKNOWN" or "BLOB_UNKNOWN" or "BLOB_UPLOAD_UNKNOWN" => RegistryErrorKind.NotFound,
            "UNAUTHORIZED" => RegistryErrorKind.Unauthorized,
            "DENIED" => RegistryErrorKind.Denied,
            "DIGEST_INVALID" or "SIZE_INVALID" => RegistryErrorKind.DataLoss,
            "MANIFEST_INVALID" or "MANIFEST_BLOB_UNKNOWN" or "NAME_INVALID" or "TAG_INVALID" or "UNSUPPORTED" => RegistryErrorKind.Invalid,
            _ => status switch
            {
                HttpStatusCode.NotFound => RegistryErrorKind.NotFound,
                HttpStatusCode.Unauthorized => RegistryErrorKind.Unauthorized,
                HttpStatusCode.Forbidden => RegistryErrorKind.Denied,
                HttpStatusCode.BadRequest => RegistryErrorKind.Invalid,
                _ => RegistryErrorKind.Unavailable,
            },
        };
        string text = code is not null
            ? $"{Describe(code)}: {message ?? Describe(code)}"
            : $"{what}: unexpected status from {response.RequestMessage?.Method} request to {response.RequestMessage?.RequestUri}: {(int)status} {response.ReasonPhrase}";
        return new RegistryException(kind, text) { Code = code };
    }

    /// <summary>Docker's errcode text of a code: lower case, spaces for underscores ("manifest unknown").</summary>
    public static string Describe(string code) => code.Replace('_', ' ').ToLowerInvariant();

    public static RegistryException Unreachable(Uri endpoint, Exception e)
        => new(RegistryErrorKind.Unavailable, $"Get \"{new Uri(endpoint, "v2/")}\": {e.Message}", e);
}
