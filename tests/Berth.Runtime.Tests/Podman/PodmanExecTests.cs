namespace Berth.Runtime.Tests.Podman;

/// <summary>exec (conmon's `exec --process --detach --pid-file`), pause and unpause with berth-runtime (<see cref="EngineExecTests"/>).</summary>
[Collection(PodmanCollection.Name)]
public sealed class PodmanExecTests(PodmanHost podman) : EngineExecTests(podman);
