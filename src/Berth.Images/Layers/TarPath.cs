namespace Berth.Images.Layers;

/// <summary>Lexical handling of tar entry names, on bytes.</summary>
internal static class TarPath
{
    /// <summary>
    /// path.Clean of an entry name made relative to the root, as Docker's UnpackLayer sees it:
    /// "." and empty components dropped, ".." folded. A relative name whose ".." climbs above the
    /// root returns -1 (Docker's breakout error); an absolute name's ".." stops at "/" (Go's Clean
    /// does that, and Docker then joins the name under the root). "" is the root itself.
    /// </summary>
    public static int Clean(ReadOnlySpan<byte> name, Span<byte> output)
    {
        bool absolute = !name.IsEmpty && name[0] == '/';
        int length = 0;
        int i = 0;
        while (i < name.Length)
        {
            while (i < name.Length && name[i] == '/')
                i++;
            int start = i;
            while (i < name.Length && name[i] != '/')
                i++;
            var component = name[start..i];
            if (component.IsEmpty || component.SequenceEqual("."u8))
                continue;
            if (component.SequenceEqual(".."u8))
            {
                if (length == 0)
                {
                    if (absolute)
                        continue;
                    return -1;
                }
                int slash = output[..length].LastIndexOf((byte)'/');
                length = slash < 0 ? 0 : slash;
                continue;
            }
            if (length > 0)
                output[length++] = (byte)'/';
            component.CopyTo(output[length..]);
            length += component.Length;
        }
        return length;
    }

    /// <summary>Splits a clean path into its parent ("" for the root) and last component.</summary>
    public static void Split(ReadOnlySpan<byte> path, out ReadOnlySpan<byte> parent, out ReadOnlySpan<byte> name)
    {
        int slash = path.LastIndexOf((byte)'/');
        parent = slash < 0 ? default : path[..slash];
        name = path[(slash + 1)..];
    }

    public static string Show(ReadOnlySpan<byte> path) => System.Text.Encoding.UTF8.GetString(path);
}
