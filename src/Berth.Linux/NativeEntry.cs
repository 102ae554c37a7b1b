using Berth.Linux.Interop;

namespace Berth.Linux;

/// <summary>What the C entry that ran before .NET started did (see src/Berth.Runtime/native/nsenter.c).</summary>
public static class NativeEntry
{
    /// <summary>The init pipe when this process is a container's init or exec process whose namespaces
    /// were entered before the runtime started, else -1. Only valid in the runtime executable.</summary>
    public static int InitPipe() => Nsenter.InitPipe();
}
