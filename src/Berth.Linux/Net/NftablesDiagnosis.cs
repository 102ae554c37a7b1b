using System.Text;
using Berth.Linux.Interop;
using Microsoft.Win32.SafeHandles;

namespace Berth.Linux.Net;

/// <summary>
/// Makes nft's error point at the right line. From a buffer, libnftables 1.0.6 quotes the script's first line
/// for an error on any line; from a file it prints <c>file:line:column: Error: ...</c> with the right line. So a
/// failed script is checked once more from a memfd, in check mode (the kernel validates the batch and discards
/// it): a cold path, taken only after the real transaction has failed and changed nothing.
/// </summary>
internal static class NftablesDiagnosis
{
    /// <summary>nft's errors for <paramref name="script"/> with line numbers; <paramref name="errors"/> when the check does not fail the same way.</summary>
    public static string Locate(string script, string errors, int rc)
    {
        string fallback = errors.Length > 0 ? errors : $"nft_run_cmd_from_buffer returned {rc} without a message";
        int fd = Libc.memfd_create("berth-nft-script", Libc.MFD_CLOEXEC);
        if (fd < 0)
            return fallback;
        using var file = new SafeFileHandle(fd, ownsHandle: true);
        try
        {
            RandomAccess.Write(file, Encoding.UTF8.GetBytes(script), 0);
            string path = $"/proc/self/fd/{fd}";
            using var context = NftablesContext.Create();
            NftablesNative.nft_ctx_set_dry_run(context.Handle, 1);
            if (NftablesNative.nft_run_cmd_from_filename(context.Handle, path) == 0)
                return fallback;
            string located = context.TakeErrors();
            return located.Length > 0 ? located.Replace(path + ":", "line ", StringComparison.Ordinal) : fallback;
        }
        catch (Exception e) when (e is IOException or NftablesException)
        {
            // The first error is the one to report, not a failure to explain it.
            return fallback;
        }
    }
}
