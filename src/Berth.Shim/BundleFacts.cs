using System.Text.Json;

namespace Berth.Shim;

/// <summary>
/// What the shim needs to know of the container that its init process cannot be asked: the
/// container is created and started in one runtime exec, so its init may have exited (and been
/// reaped) before the shim learns its pid. Read from the bundle's config.json, which the runtime
/// follows, while the runtime is at work.
/// </summary>
/// <param name="SharesPidNamespace">
/// The container's processes are in the shim's pid namespace (no pid namespace of its own): they
/// do not end with its init, so leftovers must be killed before its output can end.
/// </param>
/// <param name="CgroupsPath">linux.cgroupsPath, or null.</param>
sealed record BundleFacts(bool SharesPidNamespace, string? CgroupsPath)
{
    /// <summary>
    /// The facts of the bundle; when its config cannot be read (the runtime then refuses it anyway),
    /// a pid namespace of its own and no cgroup path.
    /// </summary>
    public static BundleFacts Read(string bundle)
    {
        string config = Path.Combine(bundle, "config.json");
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(config));
            if (!document.RootElement.TryGetProperty("linux", out var linux) || linux.ValueKind != JsonValueKind.Object)
                return new BundleFacts(SharesPidNamespace: true, null);
            string? cgroupsPath = linux.TryGetProperty("cgroupsPath", out var path) && path.ValueKind == JsonValueKind.String ? path.GetString() : null;
            return new BundleFacts(SharesShimsPidNamespace(linux), cgroupsPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or InvalidOperationException)
        {
            ShimLog.Write($"{config}: {e.Message}");
            return new BundleFacts(SharesPidNamespace: false, null);
        }
    }

    /// <summary>No pid entry in linux.namespaces, or one that names the shim's own namespace.</summary>
    static bool SharesShimsPidNamespace(JsonElement linux)
    {
        if (!linux.TryGetProperty("namespaces", out var namespaces) || namespaces.ValueKind != JsonValueKind.Array)
            return true;
        foreach (var entry in namespaces.EnumerateArray())
        {
            if (entry.ValueKind != JsonValueKind.Object || !entry.TryGetProperty("type", out var type) || type.GetString() != "pid")
                continue;
            if (!entry.TryGetProperty("path", out var path) || path.GetString() is not { Length: > 0 } joined)
                return false;
            return NamespaceOf(joined) is { } target && target == NamespaceOf("/proc/self/ns/pid");
        }
        return true;
    }

    static string? NamespaceOf(string path)
    {
        try
        {
            return new FileInfo(path).LinkTarget;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
