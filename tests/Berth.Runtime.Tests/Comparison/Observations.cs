namespace Berth.Runtime.Tests.Comparison;

/// <summary>One observation, normalised, as made with berth-runtime, runc and crun.</summary>
internal sealed record Observations(string Berth, string Runc, string Crun)
{
    /// <summary>
    /// Berth must see what runc and crun see. Where the two references disagree, the probe must say
    /// why (<paramref name="whyPeersDiffer"/>) and berth must agree with one of them; a disagreement
    /// nobody documented fails, so that a new difference is looked at instead of passing unnoticed.
    /// </summary>
    public void AssertBerthAgrees(string what, string? whyPeersDiffer)
    {
        if (Runc == Crun)
        {
            if (Berth != Runc)
                Assert.Fail($"{what}: berth-runtime differs from runc and crun (which agree)\n{Show()}");
            return;
        }
        if (whyPeersDiffer is null)
            Assert.Fail($"{what}: runc and crun differ and the probe does not say why; decide which one berth follows and document it\n{Show()}");
        if (Berth != Runc && Berth != Crun)
            Assert.Fail($"{what}: berth-runtime agrees with neither runc nor crun (they differ: {whyPeersDiffer})\n{Show()}");
    }

    /// <summary>Like <see cref="AssertBerthAgrees"/>, and berth must be the one that agrees with runc.</summary>
    public void AssertBerthAgreesWithRunc(string what, string? whyCrunDiffers)
    {
        AssertBerthAgrees(what, whyCrunDiffers);
        if (Berth != Runc)
            Assert.Fail($"{what}: berth-runtime follows crun here, runc is the reference\n{Show()}");
    }

    string Show() => $"--- berth-runtime:\n{Berth}\n--- runc:\n{Runc}\n--- crun:\n{Crun}\n--- first difference berth/runc: {FirstDifference(Berth, Runc)}";

    static string FirstDifference(string a, string b)
    {
        var la = a.Split('\n');
        var lb = b.Split('\n');
        for (int i = 0; i < Math.Max(la.Length, lb.Length); i++)
        {
            string x = i < la.Length ? la[i] : "<end>", y = i < lb.Length ? lb[i] : "<end>";
            if (x != y)
                return $"line {i + 1}: \"{x}\" vs \"{y}\"";
        }
        return "none";
    }
}
