namespace Berth.Runtime.Tests.Podman;

/// <summary>The tests that share one <see cref="PodmanHost"/> (set up once, run one after another).</summary>
[CollectionDefinition(Name)]
public sealed class PodmanCollection : ICollectionFixture<PodmanHost>
{
    public const string Name = "podman with berth-runtime";
}
