using Berth.Linux.Net;
using Xunit;

namespace Berth.Linux.Tests.Net;

/// <summary>libnftables driven for real: every test works in a table of its own (berth-test-...), removed in finally.</summary>
public class NftablesTests
{
    static string NewTable() => $"berth-test-nft-{Guid.NewGuid().ToString("N")[..8]}";

    static void Drop(string table) => Nftables.Run($"add table ip {table}\ndelete table ip {table}\n");

    static bool Exists(string table) =>
        Nftables.Run("list tables").Split('\n').Any(line => line.Trim() == $"table ip {table}");

    [Fact]
    public void LibraryIsAvailable() => Assert.True(Nftables.IsAvailable, "libnftables.so.1 missing: apt-get install nftables");

    [Fact]
    public void ScriptIsAppliedAndListingComesBackAsOutput()
    {
        string table = NewTable();
        try
        {
            string output = Nftables.Run($"""
                table ip {table} {"{"}
                	chain c {"{"}
                		type filter hook output priority 0; policy accept;
                		ip daddr 192.0.2.254 tcp dport 9 counter drop
                	{"}"}
                {"}"}
                """);

            Assert.Equal("", output);
            Assert.True(Exists(table));
            string listing = Nftables.Run($"list table ip {table}");
            Assert.Contains("ip daddr 192.0.2.254 tcp dport 9 counter packets 0 bytes 0 drop", listing);
        }
        finally
        {
            Drop(table);
        }
        Assert.False(Exists(table));
    }

    [Fact]
    public void FailingCommandAppliesNothingOfTheScript()
    {
        string table = NewTable();
        try
        {
            var error = Assert.Throws<NftablesException>(() => Nftables.Run(
                $"add table ip {table}\nadd chain ip {table} c\nadd rule ip {table} c jump nosuchchain\n"));

            Assert.False(Exists(table), "the table of a failed transaction was committed");
            // Refused by the kernel ("Could not process rule: ...") or by nft's own check of the jump: located on the third line.
            Assert.StartsWith($"nftables script 'add table ip {table}' (3 lines) failed: line 3:", error.Message);
            Assert.Contains("No such file or directory", error.Errors);
            Assert.Contains($"add rule ip {table} c jump nosuchchain", error.Errors);
            Assert.Contains("jump nosuchchain", error.Script);
        }
        finally
        {
            Drop(table);
        }
    }

    [Fact]
    public void SyntaxErrorQuotesTheLine()
    {
        var error = Assert.Throws<NftablesException>(() => Nftables.Run("add table ip berth-test-nft-syntax\nadd rule ip berth-test-nft-syntax c bogus\n"));

        Assert.Matches(@"failed: line 2:\d+-\d+: Error: syntax error", error.Message);
        Assert.Contains("add rule ip berth-test-nft-syntax c bogus", error.Errors);
        Assert.DoesNotContain("add table", error.Errors);
        Assert.False(Exists("berth-test-nft-syntax"));
    }

    [Fact]
    public void DeletingAnAbsentTableInsideAnAddIsNoError()
    {
        string table = NewTable();
        Drop(table);
        Assert.False(Exists(table));
    }

    [Fact]
    public void ConcurrentCallersEachGetTheirOwnTransaction()
    {
        var tables = Enumerable.Range(0, 8).Select(_ => NewTable()).ToList();
        try
        {
            Parallel.ForEach(tables, new ParallelOptions { MaxDegreeOfParallelism = 4 }, table =>
            {
                for (int round = 0; round < 10; round++)
                    Nftables.Run($"add table ip {table}\ndelete table ip {table}\nadd table ip {table}\nadd chain ip {table} c{round}\n");
            });

            foreach (var table in tables)
                Assert.Contains("chain c9 {", Nftables.Run($"list table ip {table}"));
        }
        finally
        {
            foreach (var table in tables)
                Drop(table);
        }
    }
}
