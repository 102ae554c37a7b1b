using Berth.Cli.CommandLine;

namespace Berth.Cli.Commands;

/// <summary>docker's --format flags and their help texts (cli/flags helpers).</summary>
internal static class FormatFlags
{
    public const string TableHelp = "Format output using a custom template:\n"
        + "'table':            Print output in table format with column headers (default)\n"
        + "'table TEMPLATE':   Print output in table format using the given Go template\n"
        + "'json':             Print in JSON format\n"
        + "'TEMPLATE':         Print output using the given Go template.\n"
        + "Refer to https://docs.docker.com/go/formatting/ for more information about formatting output with templates";

    public const string InspectHelp = "Format output using a custom template:\n"
        + "'json':             Print in JSON format\n"
        + "'TEMPLATE':         Print output using the given Go template.\n"
        + "Refer to https://docs.docker.com/go/formatting/ for more information about formatting output with templates";

    public static FlagRef<string> Table(FlagSet flags, char? shorthand = null) => flags.String("format", shorthand, "", TableHelp);

    public static FlagRef<string> Inspect(FlagSet flags, char? shorthand = 'f') => flags.String("format", shorthand, "", InspectHelp);
}
