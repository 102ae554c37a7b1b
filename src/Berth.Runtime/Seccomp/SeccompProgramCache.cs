using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using Berth.Linux.Seccomp;
using Berth.Oci;
using Berth.Oci.Runtime;

namespace Berth.Runtime.Seccomp;

/// <summary>
/// Compiled seccomp programs by profile, in a directory of the runtime's root (mode 0700, like the root): an engine
/// starts most containers with one of a few profiles (Docker's default, varied by capabilities), so the second
/// container with a profile skips libseccomp entirely. An entry holds its whole key (the profile's JSON, the
/// libseccomp version and the kernel, everything the program depends on) and is used only on an exact match: the
/// file name is a plain FNV hash, because a cryptographic one would load OpenSSL, which costs a cold runtime
/// process more than the build it saves. A missing, unreadable, foreign or malformed entry is a miss; a failed
/// write only costs the next create the build again.
/// </summary>
internal sealed class SeccompProgramCache(string directory)
{
    /// <summary>Past this many entries the oldest go: profiles that vary per container must not fill the root.</summary>
    const int MaxEntries = 64;

    static ReadOnlySpan<byte> Magic => "BSC1"u8;

    public string Directory { get; } = directory;

    public static byte[] KeyOf(LinuxSeccomp seccomp)
    {
        byte[] context = Encoding.UTF8.GetBytes($"libseccomp {SeccompLibrary.Version}\n{RuntimeInformation.OSDescription}\n");
        return [.. context, .. OciJson.WriteCompact(seccomp)];
    }

    public SeccompProgram? TryGet(byte[] key)
    {
        byte[] entry;
        try
        {
            entry = File.ReadAllBytes(PathOf(key));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        int header = Magic.Length + 4;
        if (entry.Length < header || !entry.AsSpan(0, Magic.Length).SequenceEqual(Magic))
            return null;
        int keyLength = BinaryPrimitives.ReadInt32LittleEndian(entry.AsSpan(Magic.Length));
        if (keyLength != key.Length || entry.Length < header + keyLength || !entry.AsSpan(header, keyLength).SequenceEqual(key))
            return null;
        return SeccompProgram.Deserialize(entry.AsSpan(header + keyLength));
    }

    public void TryPut(byte[] key, SeccompProgram program)
    {
        string temporary = Path.Combine(Directory, $".{Environment.ProcessId}.tmp");
        try
        {
            System.IO.Directory.CreateDirectory(Directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            Trim();
            byte[] serialized = program.Serialize();
            var entry = new byte[Magic.Length + 4 + key.Length + serialized.Length];
            Magic.CopyTo(entry);
            BinaryPrimitives.WriteInt32LittleEndian(entry.AsSpan(Magic.Length), key.Length);
            key.CopyTo(entry, Magic.Length + 4);
            serialized.CopyTo(entry, Magic.Length + 4 + key.Length);
            File.WriteAllBytes(temporary, entry);
            File.Move(temporary, PathOf(key), overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(temporary);
        }
    }

    string PathOf(byte[] key) => Path.Combine(Directory, $"{Fnv1a(key):x16}.bpf");

    static ulong Fnv1a(ReadOnlySpan<byte> data)
    {
        ulong hash = 14695981039346656037;
        foreach (byte b in data)
            hash = (hash ^ b) * 1099511628211;
        return hash;
    }

    void Trim()
    {
        var entries = new DirectoryInfo(Directory).GetFiles("*.bpf");
        if (entries.Length < MaxEntries)
            return;
        foreach (var old in entries.OrderBy(f => f.LastWriteTimeUtc).Take(entries.Length - MaxEntries + 1))
            TryDelete(old.FullName);
    }

    static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }
}
