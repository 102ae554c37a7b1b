namespace Berth.Engine.Containers;

/// <summary>Docker's container states, by the names inspect and filters use.</summary>
public static class ContainerStatus
{
    public const string Created = "created";
    public const string Running = "running";
    public const string Paused = "paused";
    public const string Restarting = "restarting";
    public const string Removing = "removing";
    public const string Exited = "exited";
    public const string Dead = "dead";

    public static readonly string[] All = [Created, Restarting, Running, Removing, Paused, Exited, Dead];
}

/// <summary>A container's run state, persisted with it (Docker's State in inspect).</summary>
public sealed class ContainerRunState
{
    public string Status { get; set; } = ContainerStatus.Created;

    public int Pid { get; set; }

    public int ExitCode { get; set; }

    public string Error { get; set; } = "";

    public bool OomKilled { get; set; }

    public DateTimeOffset? StartedAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }

    /// <summary>Stopped by a user (stop, kill): restart policies other than always do not restart it.</summary>
    public bool ManuallyStopped { get; set; }

    /// <summary>The health check's state (Docker's State.Health): null until a container with a check first runs.</summary>
    public Model.Health? Health { get; set; }

    public bool Running => Status is ContainerStatus.Running or ContainerStatus.Paused or ContainerStatus.Restarting;
}
