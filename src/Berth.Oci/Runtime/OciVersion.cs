namespace Berth.Oci.Runtime;

/// <summary>Version strings of the OCI runtime spec.</summary>
public static class OciVersion
{
    /// <summary>The version these types implement.</summary>
    public const string Spec = "1.2.0";

    /// <summary>
    /// What runc 1.1.x (the reference runtime on Berth's machines) writes as <c>ociVersion</c> in
    /// <c>runc spec</c>, <c>runc state</c>, hook state and <c>ociVersionMax</c> of <c>runc features</c>.
    /// </summary>
    public const string Runc = "1.0.2-dev";

    /// <summary>The oldest version a runtime accepts (runc's <c>ociVersionMin</c>).</summary>
    public const string Minimum = "1.0.0";
}
