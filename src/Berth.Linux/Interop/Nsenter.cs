using System.Runtime.InteropServices;

namespace Berth.Linux.Interop;

/// <summary>
/// The one function exported by Berth.Runtime's C entry (src/Berth.Runtime/native/nsenter.c),
/// which the runtime executable links statically (DirectPInvoke). Only that executable may call it.
/// </summary>
internal static partial class Nsenter
{
    [LibraryImport("libberth_nsenter", EntryPoint = "berth_nsenter_initpipe")]
    internal static partial int InitPipe();
}
