using System.Text.Json;

namespace Berth.Engine.Tests.Model;

/// <summary>
/// Compares two JSON documents by shape: the same property names at every level, and the same kind of value
/// (object, array, string, number, bool, null) under each. Values themselves are not compared. Paths are dotted
/// property names with <c>*</c> matching any one name or index, as in <c>NetworkSettings.Networks.*.GwPriority</c>.
/// </summary>
static class JsonShape
{
    /// <param name="onlyInExpected">Properties the reference may have and the other lacks (removed by a newer API).</param>
    /// <param name="onlyInActual">Properties the other may have and the reference lacks (added by a newer API).</param>
    public static void AssertSame(string what, JsonElement expected, JsonElement actual, string[]? onlyInExpected = null, string[]? onlyInActual = null)
    {
        var differences = new List<string>();
        Compare("", expected, actual, onlyInExpected ?? [], onlyInActual ?? [], differences);
        if (differences.Count > 0)
            Assert.Fail($"{what}: the model's JSON differs from dockerd's:\n  " + string.Join("\n  ", differences)
                + $"\ndockerd: {expected.GetRawText()}\nmodel:   {actual.GetRawText()}");
    }

    static void Compare(string path, JsonElement expected, JsonElement actual, string[] onlyInExpected, string[] onlyInActual, List<string> differences)
    {
        if (Kind(expected) != Kind(actual))
        {
            differences.Add($"{Display(path)}: dockerd has {Kind(expected)}, the model {Kind(actual)}");
            return;
        }
        if (expected.ValueKind == JsonValueKind.Object)
        {
            var mine = actual.EnumerateObject().ToDictionary(p => p.Name, p => p.Value);
            foreach (JsonProperty property in expected.EnumerateObject())
            {
                string child = Join(path, property.Name);
                if (mine.Remove(property.Name, out JsonElement value))
                    Compare(child, property.Value, value, onlyInExpected, onlyInActual, differences);
                else if (!Matches(child, onlyInExpected))
                    differences.Add($"{Display(child)}: only dockerd has it ({property.Value.GetRawText()})");
            }
            foreach (var (name, value) in mine)
                if (!Matches(Join(path, name), onlyInActual))
                    differences.Add($"{Display(Join(path, name))}: only the model has it ({value.GetRawText()})");
        }
        else if (expected.ValueKind == JsonValueKind.Array)
        {
            if (expected.GetArrayLength() != actual.GetArrayLength())
            {
                differences.Add($"{Display(path)}: dockerd has {expected.GetArrayLength()} elements, the model {actual.GetArrayLength()}");
                return;
            }
            for (int i = 0; i < expected.GetArrayLength(); i++)
                Compare(Join(path, i.ToString()), expected[i], actual[i], onlyInExpected, onlyInActual, differences);
        }
    }

    static string Kind(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.True or JsonValueKind.False => "bool",
        var k => k.ToString().ToLowerInvariant(),
    };

    static string Join(string path, string name) => path.Length == 0 ? name : path + "." + name;

    static string Display(string path) => path.Length == 0 ? "(document)" : path;

    static bool Matches(string path, string[] patterns) => patterns.Any(pattern => Matches(path.Split('.'), pattern.Split('.')));

    static bool Matches(string[] path, string[] pattern) =>
        path.Length == pattern.Length && path.Zip(pattern).All(p => p.Second == "*" || p.Second == p.First);
}
