using Berth.TestSupport;

namespace Berth.Compat;

/// <summary>One berthd for a test class (xunit class fixture).</summary>
public sealed class BerthdFixture : IDisposable
{
    public BerthDaemon Daemon { get; } = new();

    public void Dispose() => Daemon.Dispose();
}
