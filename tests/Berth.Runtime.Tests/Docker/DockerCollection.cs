namespace Berth.Runtime.Tests.Docker;

/// <summary>The tests that share one <see cref="DockerDaemon"/> (started once, run one after another).</summary>
[CollectionDefinition(Name)]
public sealed class DockerCollection : ICollectionFixture<DockerDaemon>
{
    public const string Name = "dockerd with berth-runtime";
}
