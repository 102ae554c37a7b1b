namespace Berth.TestSupport;

/// <summary>What tests do with a real engine (a private dockerd, Podman) running berth-runtime: the same verbs on both CLIs.</summary>
public interface IContainerEngine
{
    /// <summary>"docker" or "podman": names what the tests make.</summary>
    string Name { get; }

    CommandResult Cli(params string[] args);

    /// <summary>Starts a detached container of the test image running <paramref name="command"/> (default: sleep 1000).</summary>
    string StartDetached(string name, string[] options, params string[] command);

    string Inspect(string name, string format);

    PtySession Terminal(params string[] args);

    /// <summary>The status berth-runtime itself reports for the container.</summary>
    string RuntimeStatus(string name);

    void Remove(string name);
}
