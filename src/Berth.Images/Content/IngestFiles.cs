using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Berth.Linux;
using Berth.Oci;
using Microsoft.Win32.SafeHandles;

namespace Berth.Images.Content;

/// <summary>
/// The files of one ingest, content/ingest/&lt;sha256(ref)&gt;/: <c>data</c> (the bytes so far, locked by
/// its writer), <c>ref</c> (the reference, so that listing can name it), <c>expected</c> ("digest size",
/// either part "-" when unknown) and <c>started</c> (unix milliseconds). The small files are written
/// to a temporary name and renamed, so a crash leaves them whole or absent; a directory whose
/// <c>ref</c> is missing or does not hash to its name is debris of a crash, removed by cleanup.
/// </summary>
internal static class IngestFiles
{
    public const string Data = "data";
    public const string Ref = "ref";
    public const string Expected = "expected";
    public const string Started = "started";

    /// <summary>The directory name of an ingest: the hex sha256 of its reference (any string is a valid reference).</summary>
    public static string Name(string reference)
        => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(reference)));

    public static void ValidateReference(string reference)
    {
        if (string.IsNullOrEmpty(reference) || reference.Length > 4096 || reference.Contains('\0'))
            throw StoreException.Invalid($"invalid ingest reference \"{reference}\": 1 to 4096 characters, no NUL");
    }

    /// <summary>
    /// Opens the data file with an exclusive flock (.NET's FileShare.None is flock LOCK_EX|LOCK_NB),
    /// creating the directory and file when <paramref name="create"/>. Null when the file does not exist
    /// (not creating) or, with <paramref name="busy"/> true, when another writer holds it.
    /// </summary>
    public static SafeFileHandle? TryLock(string dir, string realDir, bool create, out bool busy)
    {
        busy = false;
        string data = Path.Combine(dir, Data);
        string realData = Path.Combine(realDir, Data);
        for (int attempt = 0; attempt < 1000; attempt++)
        {
            if (create)
                Directory.CreateDirectory(dir);
            SafeFileHandle handle;
            try
            {
                handle = File.OpenHandle(data, create ? FileMode.OpenOrCreate : FileMode.Open, FileAccess.ReadWrite, FileShare.None);
            }
            catch (DirectoryNotFoundException) when (create)
            {
                // The directory was moved to tmp/ (committed or aborted) between mkdir and open: make it anew.
                continue;
            }
            catch (FileNotFoundException) when (!create)
            {
                return null;
            }
            catch (DirectoryNotFoundException) when (!create)
            {
                return null;
            }
            catch (IOException e) when (e.HResult == Errno.EAGAIN)
            {
                busy = true;
                return null;
            }
            // The lock is on the file we opened; if its directory was moved to tmp/ (or the file
            // unlinked) between open and flock, /proc shows the new place: that ingest is gone, retry.
            if (Files.RealPath(handle) == realData)
                return handle;
            handle.Dispose();
            if (!create)
                return null;
        }
        throw new StoreException(StoreErrorKind.Internal, $"ingest {dir}: could not lock {data} (moved away on every attempt)");
    }

    /// <summary>Writes a small file whole or not at all: temporary name, then rename(2) over the old one.</summary>
    public static void WriteSmall(string dir, string name, string text)
    {
        string path = Path.Combine(dir, name);
        string temporary = path + ".tmp";
        File.WriteAllText(temporary, text);
        File.Move(temporary, path, overwrite: true);
    }

    public static string? ReadSmall(string dir, string name)
    {
        try
        {
            return File.ReadAllText(Path.Combine(dir, name));
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
    }

    public static string FormatExpected(Digest? digest, long size)
        => $"{(digest is { } d ? d.ToString() : "-")} {(size >= 0 ? size.ToString(CultureInfo.InvariantCulture) : "-")}";

    public static (Digest? Digest, long Size) ReadExpected(string dir)
    {
        string? text = ReadSmall(dir, Expected);
        if (text is null)
            return (null, -1);
        var parts = text.Split(' ');
        Digest? digest = parts.Length > 0 && Digest.TryParse(parts[0], out var d) ? d : null;
        long size = parts.Length > 1 && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out long s) ? s : -1;
        return (digest, size);
    }

    public static DateTimeOffset? ReadStarted(string dir)
        => long.TryParse(ReadSmall(dir, Started), NumberStyles.None, CultureInfo.InvariantCulture, out long ms)
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;

    /// <summary>The reference an ingest directory belongs to, or null for crash debris.</summary>
    public static string? ReadReference(string dir)
    {
        string? reference = ReadSmall(dir, Ref);
        return reference is not null && Name(reference) == Path.GetFileName(dir) ? reference : null;
    }

    /// <summary>Deletes a directory tree, tolerating another cleaner deleting it at the same time.</summary>
    public static void DeleteTree(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
        catch (IOException) when (!Directory.Exists(path))
        {
        }
    }

    /// <summary>fsync(2) of a directory, so that a rename into it survives a power failure too.</summary>
    public static void SyncDirectory(string path)
    {
        using var handle = Files.Open(path, OpenFlags.ReadOnly | OpenFlags.Directory);
        RandomAccess.FlushToDisk(handle);
    }
}
