using Berth.TestSupport;

namespace Berth.Runtime.Tests.Docker;

/// <summary>The shared <see cref="DockerDaemon"/> with the published NativeAOT berth-runtime registered as runtime "berth".</summary>
public sealed class BerthDockerDaemon() : DockerDaemon(RepoPaths.Executable("berth-runtime"));
