using System.Collections;
using System.Text;

namespace Berth.Init;

/// <summary>
/// This process's environment in its original order, for the command: read from /proc/self/environ,
/// since .NET keeps the environment in a dictionary; without /proc, the dictionary's order.
/// </summary>
static class ProcessEnvironment
{
    public static List<string> Read()
    {
        try
        {
            byte[] block = File.ReadAllBytes("/proc/self/environ");
            return [.. Encoding.UTF8.GetString(block).Split('\0', StringSplitOptions.RemoveEmptyEntries)];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            var list = new List<string>();
            foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
                list.Add($"{entry.Key}={entry.Value}");
            return list;
        }
    }
}
