using System.Text.Json;
using Berth.Linux;

namespace Berth.Runtime.Containers;

/// <summary>
/// The state root (--root, /run/berth-runtime by default): one directory per container holding
/// state.json (replaced atomically), the exec fifo while the container waits to start, and a lock
/// that serialises commands on the same container.
/// </summary>
public sealed class ContainerStore(string root)
{
    public const string DefaultRoot = "/run/berth-runtime";

    public string Root { get; } = root;

    public string DirectoryOf(string id) => Path.Combine(Root, id);

    public string ExecFifoOf(string id) => Path.Combine(Root, id, "exec.fifo");

    /// <summary>Compiled seccomp programs (<see cref="Seccomp.SeccompProgramCache"/>); '@' is never in a container id.</summary>
    public string SeccompCacheDirectory => Path.Combine(Root, "@seccomp");

    string StateFileOf(string id) => Path.Combine(Root, id, "state.json");

    /// <summary>The config the container was created from (kept current by `update`).</summary>
    public string ConfigOf(string id) => Path.Combine(Root, id, "config.json");

    /// <summary>runc's rule, <c>^[\w+-.]+$</c>: ASCII letters, digits, '_', '+', '-' and '.'.</summary>
    public static void ValidateId(string id)
    {
        if (string.IsNullOrEmpty(id))
            throw RuntimeError.Invalid("container id cannot be empty");
        foreach (char c in id)
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '+' or '-' or '.'))
                throw RuntimeError.Invalid($"invalid container id format: {id}");
        if (id is "." or "..")
            throw RuntimeError.Invalid($"invalid container id format: {id}");
    }

    /// <summary>
    /// Claims the id and returns the lock on its directory, held until the container is made: the
    /// directory is made and locked under a temporary name and renamed into place without replacing,
    /// so no other command ever sees it unlocked and half-made.
    /// </summary>
    public FileLock Reserve(string id)
    {
        ValidateId(id);
        Directory.CreateDirectory(Root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        string temp = Path.Combine(Root, $".{id}.{Environment.ProcessId}");
        int errno = Files.TryMakeDirectory(temp, FileModes.Octal(711));
        if (errno != 0)
            throw new LinuxException(errno, $"mkdir {temp}");
        var held = FileLock.Acquire(temp);
        errno = Files.TryRenameNoReplace(temp, DirectoryOf(id));
        if (errno == 0)
            return held;
        held.Dispose();
        Directory.Delete(temp);
        if (errno is Errno.EEXIST or Errno.ENOTEMPTY)
            throw new RuntimeError(ErrorKind.AlreadyExists, "container with given ID already exists");
        throw new LinuxException(errno, $"rename {temp} to {DirectoryOf(id)}");
    }

    /// <summary>Exclusive lock on the container's directory, released on dispose (or by the kernel on death).</summary>
    public FileLock Lock(string id)
    {
        ValidateId(id);
        try
        {
            return FileLock.Acquire(DirectoryOf(id));
        }
        catch (LinuxException e) when (e.Errno is Errno.ENOENT or Errno.ENOTDIR)
        {
            throw RuntimeError.ContainerNotFound(id);
        }
    }

    public bool Exists(string id) => File.Exists(StateFileOf(id));

    public ContainerRecord Load(string id)
    {
        ValidateId(id);
        byte[] json;
        try
        {
            json = File.ReadAllBytes(StateFileOf(id));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw RuntimeError.ContainerNotFound(id);
        }
        try
        {
            return ContainerRecordJson.Read(json);
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
        {
            throw new RuntimeError(ErrorKind.Internal, $"state of container {id} is unreadable: {e.Message}", e);
        }
    }

    /// <summary>Writes state.json through a temporary file and rename: never half-written.</summary>
    public void Save(ContainerRecord record)
    {
        string path = StateFileOf(record.Id);
        string temp = path + ".tmp";
        File.WriteAllBytes(temp, ContainerRecordJson.Write(record));
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>Keeps the container's config (bytes of config.json), replaced atomically.</summary>
    public void SaveSpec(string id, byte[] json)
    {
        string path = ConfigOf(id);
        File.WriteAllBytes(path + ".tmp", json);
        File.Move(path + ".tmp", path, overwrite: true);
    }

    public void Remove(string id)
    {
        string dir = DirectoryOf(id);
        if (Directory.Exists(dir))
            Directory.Delete(dir, recursive: true);
    }

    /// <summary>Ids of every container with a state file, sorted.</summary>
    public IReadOnlyList<string> List()
    {
        if (!Directory.Exists(Root))
            return [];
        var ids = new List<string>();
        foreach (var dir in Directory.EnumerateDirectories(Root))
        {
            string id = Path.GetFileName(dir);
            if (File.Exists(Path.Combine(dir, "state.json")))
                ids.Add(id);
        }
        ids.Sort(StringComparer.Ordinal);
        return ids;
    }
}
