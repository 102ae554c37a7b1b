namespace Berth.Oci.Json;

/// <summary>JSON paths in System.Text.Json's notation: <c>$.a.b[2]</c>, <c>$['key.with.dots']</c>.</summary>
internal static class JsonPaths
{
    /// <summary>The step to a member: <c>.name</c>, or <c>['name']</c> when the name has characters that need it.</summary>
    public static string Member(string name) =>
        name.Length > 0 && !name.AsSpan().ContainsAny(".'[]() \t\r\n\"$@*,")
            ? "." + name
            : "['" + name.Replace("'", "\\'", StringComparison.Ordinal) + "']";

    /// <summary>Splits a path into member names (string) and array indexes (int); null if it is not one.</summary>
    public static List<object>? Parse(string path)
    {
        if (!path.StartsWith('$'))
        {
            return null;
        }
        List<object> steps = [];
        int i = 1;
        while (i < path.Length)
        {
            if (path[i] == '.')
            {
                int end = path.IndexOfAny(['.', '['], i + 1);
                end = end < 0 ? path.Length : end;
                steps.Add(path[(i + 1)..end]);
                i = end;
            }
            else if (path.AsSpan(i).StartsWith("['"))
            {
                int end = path.IndexOf("']", i + 2, StringComparison.Ordinal);
                if (end < 0)
                {
                    return null;
                }
                steps.Add(path[(i + 2)..end].Replace("\\'", "'", StringComparison.Ordinal));
                i = end + 2;
            }
            else if (path[i] == '[')
            {
                int end = path.IndexOf(']', i);
                if (end < 0 || !int.TryParse(path.AsSpan(i + 1, end - i - 1), out int index))
                {
                    return null;
                }
                steps.Add(index);
                i = end + 1;
            }
            else
            {
                return null;
            }
        }
        return steps;
    }
}
