using Berth.Linux.Net;
using Xunit;

namespace Berth.Linux.Tests.Net;

public sealed class NetworkNamespaceTests
{
    [Fact]
    public void Create_makes_a_separate_namespace_with_lo_up_kept_by_a_mount()
    {
        using var scratch = new NetScratch();
        string path = scratch.Namespace("ns");
        using var ns = NetworkNamespace.Create(path);

        Assert.Equal(path, ns.Path);
        Assert.Contains(MountInfo.Read(), m => m.MountPoint == path && m.FsType == "nsfs");
        string self = Namespaces.Identity(Environment.ProcessId, NamespaceKind.Network)!;
        string inside = ns.Run(() => new FileInfo("/proc/thread-self/ns/net").LinkTarget!);
        Assert.NotEqual(self, inside);
        Assert.StartsWith("net:[", inside);
        using var netlink = ns.Run(Netlink.Open);
        var lo = Assert.Single(netlink.Links());
        Assert.Equal(("lo", true), (lo.Name, lo.Up));
        // The calling thread never left the host's namespace.
        Assert.Equal(self, new FileInfo("/proc/thread-self/ns/net").LinkTarget);

        using var again = NetworkNamespace.Open(path);
        Assert.Equal(inside, again.Run(() => new FileInfo("/proc/thread-self/ns/net").LinkTarget));
    }

    [Fact]
    public void Run_rethrows_what_the_action_throws()
    {
        using var scratch = new NetScratch();
        using var ns = NetworkNamespace.Create(scratch.Namespace("ns"));
        var e = Assert.Throws<InvalidOperationException>(() => ns.Run(() => throw new InvalidOperationException("inside")));
        Assert.Equal("inside", e.Message);
    }

    [Fact]
    public void Create_on_an_existing_file_fails_and_leaves_it_alone()
    {
        using var scratch = new NetScratch();
        string path = scratch.Namespace("taken");
        File.WriteAllText(path, "mine");

        var e = Assert.Throws<LinuxException>(() => NetworkNamespace.Create(path));
        Assert.Equal(Errno.EEXIST, e.Errno);
        Assert.Contains(path, e.Message);
        Assert.Equal("mine", File.ReadAllText(path));
        // A plain file is not a namespace.
        var open = Assert.Throws<LinuxException>(() => NetworkNamespace.Open(path));
        Assert.Contains("not a network namespace", open.Message);
    }

    [Fact]
    public void Delete_of_a_missing_namespace_is_no_error()
    {
        using var scratch = new NetScratch();
        string path = scratch.Namespace("never");
        NetworkNamespace.Delete(path);
        NetworkNamespace.Create(path).Dispose();
        NetworkNamespace.Delete(path);
        NetworkNamespace.Delete(path);
        Assert.False(File.Exists(path));
        Assert.DoesNotContain(MountInfo.Read(), m => m.MountPoint == path);
    }

    [Fact]
    public void OfProcess_opens_the_namespace_of_a_process()
    {
        using var ns = NetworkNamespace.OfProcess(Environment.ProcessId);
        Assert.Equal(Namespaces.Identity(Environment.ProcessId, NamespaceKind.Network),
            ns.Run(() => new FileInfo("/proc/thread-self/ns/net").LinkTarget));
    }
}
