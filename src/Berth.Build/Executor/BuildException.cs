using Berth.Build.Dockerfile;

namespace Berth.Build.Executor;

/// <summary>
/// A build that cannot go on: a failing RUN (its exit code in <see cref="Code"/>, which the docker CLI exits
/// with), a missing COPY source, an unknown stage. <see cref="Location"/> is the instruction's, when there is one.
/// </summary>
public sealed class BuildException(string message, int code = 1, SourceLocation? location = null, Exception? inner = null) : Exception(message, inner)
{
    public int Code { get; } = code;

    public SourceLocation? Location { get; } = location;
}
