namespace Berth.Cli.Commands;

/// <summary>docker's PromptForConfirmation: the warning, "Are you sure you want to continue? [y/N] ", one line of answer.</summary>
internal static class Prompt
{
    public static bool Confirm(CliContext cli, string message) => Ask(cli, message + "\nAre you sure you want to continue?");

    /// <summary>The question as it is, then " [y/N] " (builder prune's warning asks on its own line).</summary>
    public static bool Ask(CliContext cli, string question)
    {
        cli.Out.Write(question + " [y/N] ");
        cli.Out.Flush();
        string answer = ReadLine(cli.StdinStream).Trim();
        return answer is "y" or "Y";
    }

    // Byte by byte: a buffered reader would swallow input meant for later.
    static string ReadLine(Stream input)
    {
        var bytes = new List<byte>();
        var one = new byte[1];
        while (input.Read(one, 0, 1) == 1 && one[0] != '\n')
            bytes.Add(one[0]);
        return System.Text.Encoding.UTF8.GetString(bytes.ToArray());
    }
}
