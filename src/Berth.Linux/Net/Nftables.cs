using System.Runtime.InteropServices;

namespace Berth.Linux.Net;

/// <summary>
/// nftables through libnftables, in-process: the nft language without an <c>nft</c> process per change.
/// A script given to <see cref="Run"/> is one transaction: the kernel commits all of it or none of it.
/// </summary>
/// <remarks>
/// Each call gets a context of its own, freed before it returns. Measured on the development machine
/// (nftables 1.0.6, kernel 6.18, a 40-line bridge table, 200 runs): applying took 0.42 ms with a fresh context
/// and 0.42 ms with a cached one (creating and freeing one costs 0.035 ms), and a cached context would keep a
/// netlink socket open for the daemon's life that libnftables does not mark close-on-exec. Calls are
/// serialised anyway: libnftables documents no thread safety.
/// </remarks>
public static class Nftables
{
    static readonly Lock Gate = new();
    static readonly Lazy<bool> Loadable = new(() => NativeLibrary.TryLoad(NftablesNative.Name, out _));

    /// <summary>Whether <c>libnftables.so.1</c> can be loaded (Debian: <c>libnftables1</c>, which <c>nftables</c> depends on).</summary>
    public static bool IsAvailable => Loadable.Value;

    /// <summary>
    /// Runs <paramref name="script"/> (commands in nft's syntax, one per line or <c>;</c>-separated) as one
    /// transaction and returns what nft prints (empty for changes, the listing for <c>list ...</c>).
    /// </summary>
    /// <exception cref="NftablesException">The script did not parse, or the kernel refused it: nothing was changed.</exception>
    public static string Run(string script)
    {
        ArgumentNullException.ThrowIfNull(script);
        if (!IsAvailable)
            throw new NftablesException(script, $"{NftablesNative.Name} is not installed (apt-get install libnftables1)");
        lock (Gate)
        {
            string errors;
            int rc;
            using (var context = NftablesContext.Create())
            {
                rc = NftablesNative.nft_run_cmd_from_buffer(context.Handle, script);
                string output = context.TakeOutput();
                if (rc == 0)
                    return output;
                errors = context.TakeErrors();
            }
            throw new NftablesException(script, NftablesDiagnosis.Locate(script, errors, rc));
        }
    }
}
