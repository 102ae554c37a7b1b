using Berth.Cli.Client;
using Berth.Cli.CommandLine;
using Berth.Cli.Commands;

namespace Berth.Cli;

/// <summary>
/// Every command of berth, wired in one place: the root's own commands and the builder, container, image and system
/// groups, with docker's aliases ("berth container ls" is "berth ps").
/// </summary>
internal static class CommandTree
{
    public static CommandSpec Build()
    {
        var root = new CommandSpec
        {
            Name = CliContext.ProgramName,
            Use = "[OPTIONS] COMMAND [ARG...]",
            Short = "A self-sufficient runtime for containers",
        };
        root.Add(
            RunCommand.Run(),
            ExecCommand.Spec(),
            PsCommand.Spec("ps", [], top: true),
            BuildCommand.Spec(top: true),
            ImagesCommand.Spec("images", [], top: true),
            VersionCommand.Spec(),
            InfoCommand.Spec("info", top: true),
            Builder(),
            Container(),
            Image(),
            NetworkCommands.Group(),
            ManifestCommands.Group(),
            RegistryServerCommands.Group(),
            SystemGroup(),
            VolumeCommands.Group(),
            StartAttachCommands.Attach(),
            ImageCommands.Commit(),
            Copy(),
            RunCommand.Create(),
            ContainerInfoCommands.Diff(),
            EventsCommand.Spec("events"),
            ImageCommands.Export(),
            ImagesCommand.History(),
            ImageCommands.Import(),
            InspectCommand.Any(),
            LifecycleCommands.Kill(),
            ImageCommands.Load(),
            RegistryCommands.Login(),
            RegistryCommands.Logout(),
            ContainerInfoCommands.Logs(),
            LifecycleCommands.Pause(),
            ContainerInfoCommands.Port(),
            RegistryCommands.Pull(),
            RegistryCommands.Push(),
            LifecycleCommands.Rename(),
            LifecycleCommands.Restart(),
            LifecycleCommands.Remove(),
            ImageCommands.Remove("rmi", [], "{0} image rm, {0} image remove, {0} rmi"),
            ImageCommands.Save(),
            RegistryCommands.Search(),
            StartAttachCommands.Start(),
            StatsCommand.Spec(),
            LifecycleCommands.Stop(),
            ImageCommands.Tag(),
            ContainerInfoCommands.Top(),
            LifecycleCommands.Unpause(),
            UpdateCommand.Spec(),
            ContainerInfoCommands.Wait());
        return root;
    }

    static CommandSpec Builder() => new CommandSpec { Name = "builder", Short = "Manage builds" }.Add(
        BuildCommand.Spec(top: false),
        PruneCommands.BuildCache());

    static CommandSpec Container() => new CommandSpec { Name = "container", Short = "Manage containers" }.Add(
        StartAttachCommands.Attach(),
        ImageCommands.Commit(),
        Copy(),
        RunCommand.Create(),
        ContainerInfoCommands.Diff(),
        ExecCommand.Spec(),
        ImageCommands.Export(),
        InspectCommand.Container(),
        LifecycleCommands.Kill(),
        ContainerInfoCommands.Logs(),
        PsCommand.Spec("ls", ["list", "ps"], top: false),
        LifecycleCommands.Pause(),
        ContainerInfoCommands.Port(),
        PruneCommands.Containers(),
        LifecycleCommands.Rename(),
        LifecycleCommands.Restart(),
        LifecycleCommands.Remove(),
        RunCommand.Run(),
        StartAttachCommands.Start(),
        StatsCommand.Spec(),
        LifecycleCommands.Stop(),
        ContainerInfoCommands.Top(),
        LifecycleCommands.Unpause(),
        UpdateCommand.Spec(),
        ContainerInfoCommands.Wait());

    static CommandSpec Image() => new CommandSpec { Name = "image", Short = "Manage images" }.Add(
        BuildCommand.Spec(top: false),
        ImagesCommand.History(),
        ImageCommands.Import(),
        InspectCommand.Image(),
        ImageCommands.Load(),
        ImagesCommand.Spec("ls", ["list"], top: false),
        PruneCommands.Images(),
        RegistryCommands.Pull(),
        RegistryCommands.Push(),
        ImageCommands.Remove("rm", ["remove"], "{0} image rm, {0} image remove, {0} rmi"),
        ImageCommands.Save(),
        ImageCommands.Tag());

    static CommandSpec SystemGroup() => new CommandSpec { Name = "system", Short = "Manage Berth" }.Add(
        DiskUsageCommand.Spec(),
        EventsCommand.Spec("events"),
        InfoCommand.Spec("info", top: false),
        PruneCommands.System());

    static CommandSpec Copy() => CopyCommand.Spec();
}
