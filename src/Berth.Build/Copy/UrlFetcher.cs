using System.Security.Cryptography;
using Berth.Build.Context;
using Berth.Images;

namespace Berth.Build.Copy;

/// <summary>
/// ADD of a URL, as dockerd's downloadSource: GET it, name the file after the URL's last path element, mode 0600,
/// mtime from Last-Modified (the download time when there is none); never extracted. --checksum=sha256:... is
/// checked against the content (buildkit's "digest mismatch" when it differs). Failures name the URL.
/// </summary>
public static class UrlFetcher
{
    static readonly HttpClient Client = new(new SocketsHttpHandler { AllowAutoRedirect = true, ConnectTimeout = TimeSpan.FromSeconds(30) });

    public static bool IsUrl(string source)
        => source.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || source.StartsWith("https://", StringComparison.OrdinalIgnoreCase);

    /// <summary>Downloads <paramref name="url"/> into the destination; returns the content's digest (the cache checksum of the source).</summary>
    internal static string Add(string url, int destinationRootFd, ContextCopier.Target destination, CopyOptions options, (uint Uid, uint Gid) owner, uint? chmod)
    {
        string name = GoPath.Base(new Uri(url).AbsolutePath);
        if (name is "/" or "." or "")
            throw new BuildContextException($"cannot determine filename from url: {url}");
        string temp = Path.Combine(Path.GetTempPath(), "berth-build-download-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)));
        try
        {
            HttpResponseMessage response;
            try
            {
                response = Client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead).GetAwaiter().GetResult();
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                throw new BuildContextException($"Get \"{url}\": {e.Message}", e);
            }
            using (response)
            {
                if (!response.IsSuccessStatusCode)
                {
                    string body = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
                    throw new BuildContextException($"failed to GET {url} with status {(int)response.StatusCode} {response.ReasonPhrase}: {body}");
                }
                string digest;
                using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.ReadWrite))
                {
                    using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                    using var body = response.Content.ReadAsStream();
                    var buffer = new byte[1 << 16];
                    for (int n; (n = body.Read(buffer)) > 0;)
                    {
                        hash.AppendData(buffer, 0, n);
                        file.Write(buffer, 0, n);
                    }
                    digest = "sha256:" + Convert.ToHexStringLower(hash.GetHashAndReset());
                    if (options.Checksum is { } expected && !string.Equals(expected, digest, StringComparison.OrdinalIgnoreCase))
                    {
                        if (!expected.StartsWith("sha256:", StringComparison.Ordinal))
                            throw new BuildContextException($"unsupported digest algorithm in --checksum={expected}: only sha256 is supported");
                        throw new BuildContextException($"digest mismatch {digest}: {expected}");
                    }
                    long mtime = response.Content.Headers.LastModified?.ToUnixTimeSeconds() ?? DateTimeOffset.UtcNow.ToUnixTimeSeconds();
                    string target = destination.Directory || RootFiles.IsDirectory(destinationRootFd, destination.Path)
                        ? GoPath.Join(destination.Path, name).TrimStart('/') : destination.Path;
                    file.Position = 0;
                    ContextCopier.WriteFile(destinationRootFd, target, owner, chmod ?? 0x180, mtime, file, file.Length);
                }
                return digest;
            }
        }
        finally
        {
            File.Delete(temp);
        }
    }
}
