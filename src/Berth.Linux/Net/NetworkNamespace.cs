using Berth.Linux.Interop;
using Microsoft.Win32.SafeHandles;

namespace Berth.Linux.Net;

/// <summary>
/// A network namespace kept alive by a bind mount on a file (as `ip netns add` keeps one), independent
/// of any process, or any other namespace file opened by path (/proc/PID/ns/net). Dispose closes the
/// descriptor only; the namespace lives on until <see cref="Delete"/> and its last user are gone.
/// </summary>
/// <remarks>
/// unshare(CLONE_NEWNET) and setns() change the calling thread only, and a .NET process has many: both are
/// done on a dedicated thread that ends right after, so that no pooled thread is ever left in a foreign namespace.
/// </remarks>
public sealed class NetworkNamespace : IDisposable
{
    NetworkNamespace(string path, SafeFileHandle handle)
    {
        Path = path;
        Handle = handle;
    }

    public string Path { get; }

    public SafeFileHandle Handle { get; }

    /// <summary>
    /// A new network namespace kept by a bind mount on <paramref name="path"/> (created; its directory must exist),
    /// with "lo" up. Nothing is left behind when it fails.
    /// </summary>
    public static NetworkNamespace Create(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        int error = Files.TryOpen(path, OpenFlags.ReadOnly | OpenFlags.Create | OpenFlags.Exclusive, out var file, 0);
        if (error < 0)
            throw new LinuxException(-error, $"create network namespace {path}");
        file!.Dispose();
        try
        {
            NamespaceThread.Run(() =>
            {
                Namespaces.Unshare(Namespaces.CloneNewNet);
                Mounts.Mount("/proc/thread-self/ns/net", path, null, MountFlags.Bind);
                Loopback.Up();
                return 0;
            });
            return Open(path);
        }
        catch
        {
            Delete(path);
            throw;
        }
    }

    /// <summary>Opens a namespace file: a bind mount made by <see cref="Create"/> or `ip netns add`, or /proc/PID/ns/net.</summary>
    public static unsafe NetworkNamespace Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var handle = Files.Open(path, OpenFlags.ReadOnly);
        // A file left without its mount (a crash between create and mount) is not a namespace: say so here,
        // rather than as an EINVAL from a setns much later.
        if (Libc.ioctl((int)handle.DangerousGetHandle(), Libc.NS_GET_NSTYPE, 0) != Namespaces.CloneNewNet)
        {
            handle.Dispose();
            throw new LinuxException(Errno.EINVAL, $"open network namespace {path}: not a network namespace");
        }
        return new NetworkNamespace(path, handle);
    }

    public static NetworkNamespace OfProcess(int pid) => Open($"/proc/{pid}/ns/net");

    /// <summary>
    /// Runs <paramref name="action"/> on a new thread that has joined this namespace and ends afterwards; its
    /// exception, if any, is rethrown here. Sockets created inside (<c>ns.Run(Netlink.Open)</c>) stay in this
    /// namespace. Continuations of async work started inside run on pooled threads, in the host's namespace.
    /// </summary>
    public T Run<T>(Func<T> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        bool referenced = false;
        try
        {
            // Held across the thread, so that a concurrent Dispose cannot hand setns a recycled descriptor number.
            Handle.DangerousAddRef(ref referenced);
            return NamespaceThread.Run(() =>
            {
                Namespaces.Join(Handle, NamespaceKind.Network);
                return action();
            });
        }
        finally
        {
            if (referenced)
                Handle.DangerousRelease();
        }
    }

    public void Run(Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        Run(() =>
        {
            action();
            return 0;
        });
    }

    /// <summary>
    /// Unmounts (lazily) and removes a namespace file made by <see cref="Create"/>; no error when it is already
    /// gone. The namespace itself, with its links, ends when nothing else holds it (a process, a socket, an open descriptor).
    /// </summary>
    public static void Delete(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        // Stacked mounts (the same path made twice by hand) come off one by one; EINVAL: no mount left.
        for (int i = 0; i < 16; i++)
        {
            int errno = Mounts.TryUnmount(path, UnmountFlags.Detach | UnmountFlags.NoFollow);
            if (errno is Errno.EINVAL or Errno.ENOENT)
                break;
            if (errno != 0)
                throw new LinuxException(errno, $"unmount network namespace {path}");
        }
        if (Libc.unlinkat(Libc.AT_FDCWD, path, 0) < 0)
        {
            var e = LinuxException.FromLastError($"remove network namespace {path}");
            if (e.Errno != Errno.ENOENT)
                throw e;
        }
    }

    public void Dispose() => Handle.Dispose();
}
