namespace Berth.Runtime.Tests.Docker;

/// <summary>The tests that share one <see cref="BerthDockerDaemon"/> (started once, run one after another).</summary>
[CollectionDefinition(Name)]
public sealed class DockerCollection : ICollectionFixture<BerthDockerDaemon>
{
    public const string Name = "dockerd with berth-runtime";
}
