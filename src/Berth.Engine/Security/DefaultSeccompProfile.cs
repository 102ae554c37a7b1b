namespace Berth.Engine.Security;

/// <summary>
/// Docker's default seccomp profile (moby/profiles seccomp/default.json, kept unchanged in
/// default-seccomp.json beside this file and embedded in the assembly): allow what ordinary programs
/// use, gate what needs a capability on that capability, refuse the rest with EPERM.
/// </summary>
public static class DefaultSeccompProfile
{
    const string ResourceName = "Berth.Engine.Security.default-seccomp.json";

    static readonly Lazy<SeccompProfile> Loaded = new(Load);

    /// <summary>The parsed profile; shared, so callers must not change it.</summary>
    public static SeccompProfile Profile => Loaded.Value;

    static SeccompProfile Load()
    {
        using var stream = typeof(DefaultSeccompProfile).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"{ResourceName} is not embedded in {typeof(DefaultSeccompProfile).Assembly.GetName().Name}");
        using var reader = new StreamReader(stream);
        return SeccompProfileJson.Parse(reader.ReadToEnd());
    }
}
