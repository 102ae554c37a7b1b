using System.Security.Cryptography;

namespace Berth.Engine.Volumes;

/// <summary>The local driver's naming rules (moby volume/local validateName) and anonymous volumes' names.</summary>
public static class VolumeNames
{
    /// <summary>Docker's label on a volume made for a container without a name (Docker 23+).</summary>
    public const string AnonymousLabel = "com.docker.volume.anonymous";

    /// <summary>A new anonymous volume's name: 64 hex digits, as Docker's.</summary>
    public static string NewAnonymous() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    /// <exception cref="EngineException">The name breaks the rules, with Docker's text (prefixed by "create name: ").</exception>
    public static void Validate(string name)
    {
        if (name.Length == 1)
            throw EngineException.Invalid($"create {name}: volume name is too short, names should be at least two alphanumeric characters");
        if (!IsValid(name))
            throw EngineException.Invalid($"create {name}: \"{name}\" includes invalid characters for a local volume name, only \"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed. If you intended to pass a host directory, use absolute path");
    }

    /// <summary><c>^[a-zA-Z0-9][a-zA-Z0-9_.-]+$</c>: so never ".", "..", a path, or a name of the store's own temporary entries.</summary>
    public static bool IsValid(string name)
    {
        if (name.Length < 2 || !char.IsAsciiLetterOrDigit(name[0]))
            return false;
        foreach (char c in name.AsSpan(1))
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('_' or '.' or '-'))
                return false;
        }
        return true;
    }
}
