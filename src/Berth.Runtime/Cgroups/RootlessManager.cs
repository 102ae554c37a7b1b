using Berth.Linux;
using Berth.Linux.Cgroups;
using Berth.Oci.Runtime;
using Berth.Runtime.Init;

namespace Berth.Runtime.Cgroups;

/// <summary>
/// A rootless container's cgroup: the real one where the user may make it (a delegated v2
/// subtree), else none. When making it is refused (EACCES, EPERM, EROFS), whatever was made is
/// removed and the container runs without a cgroup, unless linux.resources asks for a limit,
/// which then fails naming the field and why. Device rules are never applied (the user
/// namespace already keeps the container from devices), as with runc.
/// </summary>
internal sealed class RootlessManager(ICgroupManager inner) : ICgroupManager
{
    NoCgroupManager? _none;
    LinuxException? _refusal;

    ICgroupManager Active => (ICgroupManager?)_none ?? inner;

    public CgroupRecord Record => Active.Record;

    public IReadOnlyList<CgroupMountSource> MountSources => Active.MountSources;

    public void Create()
    {
        try
        {
            inner.Create();
        }
        catch (RuntimeError e) when (e.InnerException is LinuxException { Errno: Errno.EACCES or Errno.EPERM or Errno.EROFS } refusal)
        {
            try
            {
                inner.Destroy();
            }
            catch (RuntimeError)
            {
                // Nothing made that could not be removed again is left to report; the refusal is the news.
            }
            _refusal = refusal;
            _none = new NoCgroupManager(new CgroupRecord { Path = inner.Record.Path });
        }
    }

    public void Apply(LinuxResources? resources)
    {
        if (_none is null)
        {
            inner.Apply(resources);
            return;
        }
        if (ResourceRequests.FirstRequest(resources) is { } field)
            throw new RuntimeError(ErrorKind.Unsupported, $"{field}: a rootless container gets limits only where its user may create cgroups ({_refusal!.Message})", _refusal);
    }

    public void AddProcess(int pid) => Active.AddProcess(pid);

    public CgroupJoin Join => Active.Join;

    public IReadOnlyList<int> Pids() => Active.Pids();

    public void Freeze() => Active.Freeze();

    public void Thaw() => Active.Thaw();

    public bool IsFrozen() => Active.IsFrozen();

    public CgroupStats Stats() => Active.Stats();

    public long OomKillCount() => Active.OomKillCount();

    public void Destroy() => Active.Destroy();
}
