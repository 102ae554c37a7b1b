using Berth.Cli.CommandLine;

namespace Berth.Cli.Options;

/// <summary>The CSV of docker's and buildx's long flag syntaxes (--network name=..., --secret id=...,src=...).</summary>
internal static class Csv
{
    /// <summary>One record, as Go's encoding/csv reads it; an unclosed quote is the flag's error.</summary>
    public static List<string> Fields(string value)
    {
        try
        {
            return Berth.Oci.Image.GoCsv.Fields(value);
        }
        catch (FormatException e)
        {
            throw new FlagValueException(e.Message);
        }
    }
}
