namespace Berth.TestSupport;

/// <summary>
/// What a dockerd with --iptables adds to the host's iptables (iptables-nft here), taken away after it
/// exits: dockerd leaves its chains and rules behind on shutdown. Made before dockerd starts, so that only
/// what was not there before is removed: rules of the built-in chains that jump to a DOCKER* chain or name
/// one of dockerd's bridges or its subnets, then the DOCKER* chains, then the filter/nat tables themselves
/// when iptables made them for dockerd and they are empty again.
/// </summary>
public sealed class DockerIptables
{
    static readonly string[] Tables = ["filter", "nat"];
    readonly Dictionary<string, HashSet<string>> _before = [];
    readonly HashSet<string> _nftTablesBefore;

    public DockerIptables()
    {
        foreach (var table in Tables)
            _before[table] = [.. Rules(table)];
        _nftTablesBefore = [.. NftTables()];
    }

    /// <summary>The rules of a table as `iptables -S` writes them ("-N DOCKER", "-A FORWARD ...").</summary>
    public static IReadOnlyList<string> Rules(string table)
        => ProcessRunner.Run(HostTools.Require("iptables", "iptables"), ["-w", "-t", table, "-S"]).Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    /// <param name="isDockers">Whether a word of a rule (a bridge name, a subnet "10.1.2.0/24") is dockerd's.</param>
    public void RemoveAdded(Func<string, bool> isDockers)
    {
        foreach (var table in Tables)
        {
            var added = Rules(table).Where(r => !_before[table].Contains(r)).ToList();
            foreach (var rule in added.Where(r => r.StartsWith("-A ", StringComparison.Ordinal) && !IsDockerChain(Chain(r)) && IsDockers(r, isDockers)))
                Iptables(table, ["-D", .. Words(rule[3..])]);
            var chains = added.Where(r => r.StartsWith("-N ", StringComparison.Ordinal)).Select(r => r[3..].Trim()).Where(IsDockerChain).ToList();
            // Flush all before deleting any: DOCKER-ISOLATION-STAGE-1 jumps to STAGE-2.
            foreach (var chain in chains)
                Iptables(table, ["-F", chain]);
            foreach (var chain in chains)
                Iptables(table, ["-X", chain]);
        }
        foreach (var table in Tables)
        {
            // iptables-nft made "table ip filter/nat" for dockerd: gone again once nothing but ACCEPT policies is left.
            if (!_nftTablesBefore.Contains($"table ip {table}") && NftTables().Contains($"table ip {table}")
                && Rules(table).All(r => r.StartsWith("-P ", StringComparison.Ordinal) && r.EndsWith(" ACCEPT", StringComparison.Ordinal)))
                ProcessRunner.Run(HostTools.Require("nft", "nftables"), ["delete", "table", "ip", table]);
        }
    }

    /// <summary>What is left of dockerd in iptables: empty after <see cref="RemoveAdded"/>.</summary>
    public static IReadOnlyList<string> DockerLeftovers()
        => [.. Tables.SelectMany(t => Rules(t).Where(r => r.Contains("DOCKER", StringComparison.Ordinal)).Select(r => $"{t}: {r}"))];

    static bool IsDockerChain(string chain) => chain.StartsWith("DOCKER", StringComparison.Ordinal);

    static string Chain(string rule) => rule.Split(' ', 3)[1];

    static bool IsDockers(string rule, Func<string, bool> isDockers)
    {
        var words = Words(rule);
        return words.Any(w => (IsDockerChain(w) && w != Chain(rule)) || isDockers(w));
    }

    static string[] Words(string rule) => [.. rule.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(w => w.Trim('"'))];

    static void Iptables(string table, string[] args)
    {
        var r = ProcessRunner.Run(HostTools.Require("iptables", "iptables"), ["-w", "-t", table, .. args]);
        if (r.ExitCode != 0)
            Console.Error.WriteLine($"iptables -t {table} {string.Join(' ', args)}: {r.Stderr.Trim()}");
    }

    static IReadOnlyList<string> NftTables()
        => [.. ProcessRunner.Run(HostTools.Require("nft", "nftables"), ["list", "tables"]).Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim())];
}
