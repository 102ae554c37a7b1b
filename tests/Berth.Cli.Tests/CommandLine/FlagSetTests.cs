using Berth.Cli.CommandLine;

namespace Berth.Cli.Tests.CommandLine;

/// <summary>Flags parse as spf13/pflag parses them, with pflag's error texts.</summary>
public class FlagSetTests
{
    sealed class Fixture
    {
        public readonly FlagSet Flags = new();
        public readonly FlagRef<bool> All;
        public readonly FlagRef<bool> Tty;
        public readonly FlagRef<bool> Interactive;
        public readonly FlagRef<long> Last;
        public readonly FlagRef<string> Name;
        public readonly FlagRef<List<string>> Env;

        public Fixture(bool interspersed = true)
        {
            Flags.Interspersed = interspersed;
            All = Flags.Bool("all", 'a', false, "Show all");
            Tty = Flags.Bool("tty", 't', false, "Allocate a pseudo-TTY");
            Interactive = Flags.Bool("interactive", 'i', false, "Keep STDIN open");
            Last = Flags.Int("last", 'n', -1, "Show n last");
            Name = Flags.String("name", null, "", "Assign a name");
            Env = Flags.List("env", 'e', "Set environment variables");
        }
    }

    [Fact]
    public void Long_and_short_forms_all_set_values()
    {
        var f = new Fixture();
        var rest = f.Flags.Parse(["--name=x", "-n", "5", "-e", "A=1", "--env", "B=2", "-eC=3", "-e=D=4", "pos"]);
        Assert.Equal("x", f.Name.Value);
        Assert.Equal(5, f.Last.Value);
        Assert.Equal(["A=1", "B=2", "C=3", "D=4"], f.Env.Value);
        Assert.Equal(["pos"], rest);
        Assert.True(f.Name.Changed);
        Assert.False(f.All.Changed);
    }

    [Fact]
    public void Bundled_bool_shorthands_and_a_trailing_value()
    {
        var f = new Fixture();
        f.Flags.Parse(["-itn7"]);
        Assert.True(f.Interactive.Value);
        Assert.True(f.Tty.Value);
        Assert.Equal(7, f.Last.Value);
    }

    [Fact]
    public void Bool_flags_take_no_argument_but_accept_an_explicit_value()
    {
        var f = new Fixture();
        var rest = f.Flags.Parse(["--all", "false", "--tty=false", "-i=true"]);
        Assert.True(f.All.Value);
        Assert.False(f.Tty.Value);
        Assert.True(f.Interactive.Value);
        Assert.Equal(["false"], rest);
    }

    [Fact]
    public void Interspersed_parsing_takes_flags_after_arguments()
    {
        var f = new Fixture();
        var rest = f.Flags.Parse(["one", "-a", "two"]);
        Assert.True(f.All.Value);
        Assert.Equal(["one", "two"], rest);
    }

    [Fact]
    public void Non_interspersed_parsing_stops_at_the_first_argument()
    {
        var f = new Fixture(interspersed: false);
        var rest = f.Flags.Parse(["-t", "busybox", "ls", "-a", "--name", "x"]);
        Assert.True(f.Tty.Value);
        Assert.False(f.All.Value);
        Assert.Equal(["busybox", "ls", "-a", "--name", "x"], rest);
    }

    [Fact]
    public void Double_dash_ends_the_flags()
    {
        var f = new Fixture();
        var rest = f.Flags.Parse(["-a", "--", "-t", "x"]);
        Assert.False(f.Tty.Value);
        Assert.Equal(["-t", "x"], rest);
    }

    [Theory]
    [InlineData(new[] { "--bogus" }, "unknown flag: --bogus")]
    [InlineData(new[] { "-z" }, "unknown shorthand flag: 'z' in -z")]
    [InlineData(new[] { "-az" }, "unknown shorthand flag: 'z' in -z")]
    [InlineData(new[] { "-n" }, "flag needs an argument: 'n' in -n")]
    [InlineData(new[] { "--name" }, "flag needs an argument: --name")]
    [InlineData(new[] { "-n", "x" }, "invalid argument \"x\" for \"-n, --last\" flag: strconv.ParseInt: parsing \"x\": invalid syntax")]
    [InlineData(new[] { "--last=99999999999999999999" }, "invalid argument \"99999999999999999999\" for \"-n, --last\" flag: strconv.ParseInt: parsing \"99999999999999999999\": value out of range")]
    [InlineData(new[] { "--all=2" }, "invalid argument \"2\" for \"-a, --all\" flag: strconv.ParseBool: parsing \"2\": invalid syntax")]
    [InlineData(new[] { "---x" }, "bad flag syntax: ---x")]
    public void Refused_command_lines_read_as_pflag_words_them(string[] args, string message)
    {
        var f = new Fixture();
        var e = Assert.Throws<FlagParseException>(() => f.Flags.Parse(args));
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void Integers_take_go_base_prefixes()
    {
        var f = new Fixture();
        f.Flags.Parse(["-n", "0x10"]);
        Assert.Equal(16, f.Last.Value);
        f.Flags.Parse(["-n", "010"]);
        Assert.Equal(8, f.Last.Value);
        f.Flags.Parse(["-n", "-3"]);
        Assert.Equal(-3, f.Last.Value);
    }

    [Fact]
    public void Help_is_seen_anywhere_and_deprecated_h_leaves_a_notice()
    {
        var f = new Fixture();
        f.Flags.Parse(["x", "--help"]);
        Assert.True(f.Flags.HelpRequested);
        var g = new Fixture();
        g.Flags.Parse(["-h"]);
        Assert.True(g.Flags.HelpRequested);
        Assert.Equal(["Flag shorthand -h has been deprecated, use --help"], g.Flags.Notices);
        var h = new Fixture();
        h.Flags.Parse(["--help=false"]);
        Assert.False(h.Flags.HelpRequested);
    }
}
