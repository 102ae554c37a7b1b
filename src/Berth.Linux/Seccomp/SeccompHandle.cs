using System.Runtime.InteropServices;

namespace Berth.Linux.Seccomp;

/// <summary>A libseccomp filter context (<c>scmp_filter_ctx</c>), released with <c>seccomp_release</c>.</summary>
public sealed class SeccompHandle : SafeHandle
{
    public SeccompHandle()
        : base(IntPtr.Zero, ownsHandle: true)
    {
    }

    internal SeccompHandle(nint context)
        : base(IntPtr.Zero, ownsHandle: true) => SetHandle(context);

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle()
    {
        LibSeccomp.seccomp_release(handle);
        return true;
    }
}
