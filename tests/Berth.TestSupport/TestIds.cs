namespace Berth.TestSupport;

/// <summary>Names of things tests make, recognisable as test leftovers: berth-test-&lt;what&gt;-&lt;random&gt;.</summary>
public static class TestIds
{
    public static string New(string what) => $"berth-test-{what}-{Guid.NewGuid().ToString("N")[..8]}";
}
