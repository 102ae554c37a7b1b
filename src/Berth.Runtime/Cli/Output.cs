using System.Text;

namespace Berth.Runtime.Cli;

/// <summary>stdout and stderr as raw streams: no Console (it sets up terminal handling the runtime does not need).</summary>
internal static class Output
{
    static Stream? _out, _err;

    static Stream Out => _out ??= System.Console.OpenStandardOutput();

    static Stream Err => _err ??= System.Console.OpenStandardError();

    public static void Write(string text) => Write(Encoding.UTF8.GetBytes(text));

    public static void Write(ReadOnlySpan<byte> bytes)
    {
        Out.Write(bytes);
        Out.Flush();
    }

    public static void WriteLine(string text) => Write(text + "\n");

    public static void Error(string text)
    {
        Err.Write(Encoding.UTF8.GetBytes(text));
        Err.Flush();
    }
}
