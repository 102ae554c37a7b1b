using System.IO.Pipelines;
using System.Text;
using Berth.Cli.Client;
using Berth.Cli.CommandLine;
using Berth.Engine.Archive;
using Berth.Images;
using Berth.Images.Copy;
using Berth.Images.Layers;
using Berth.Linux;

namespace Berth.Cli.Commands;

/// <summary>
/// "berth cp": files between a container and the local file system, both ways, as docker cp does it: the daemon
/// archives or extracts in the container, and this side decides the names (a directory's contents with "dir/.", a
/// file renamed to a destination that does not exist, a symlink followed with -L) and extracts or archives locally.
/// "-" reads or writes the tar itself.
/// </summary>
internal static class CopyCommand
{
    sealed record CopyRequest(string Container, string Source, string Destination, bool FollowLink, bool CopyUidGid, bool Quiet);

    public static CommandSpec Spec() => new()
    {
        Name = "cp",
        Use = "[OPTIONS] CONTAINER:SRC_PATH DEST_PATH|-\n\t{0} cp [OPTIONS] SRC_PATH|- CONTAINER:DEST_PATH".Replace("{0}", CliContext.ProgramName, StringComparison.Ordinal),
        Short = "Copy files/folders between a container and the local filesystem",
        Long = "Copy files/folders between a container and the local filesystem\n\nUse '-' as the source to read a tar archive from stdin\n"
            + "and extract it to a directory destination in a container.\nUse '-' as the destination to stream a tar archive of a\n"
            + "container source to stdout.",
        AliasesLine = "{0} container cp, {0} cp",
        Args = ArgsRule.Exactly(2),
        Setup = flags =>
        {
            var archive = flags.Bool("archive", 'a', false, "Archive mode (copy all uid/gid information)");
            var followLink = flags.Bool("follow-link", 'L', false, "Always follow symbol link in SRC_PATH");
            var quiet = flags.Bool("quiet", 'q', false, "Suppress progress output during copy. Progress output is automatically suppressed if no terminal is attached");
            return async inv =>
            {
                if (inv.Args[0].Length == 0)
                    throw new CliException("source can not be empty");
                if (inv.Args[1].Length == 0)
                    throw new CliException("destination can not be empty");
                var (sourceContainer, source) = SplitArgument(inv.Args[0]);
                var (destinationContainer, destination) = SplitArgument(inv.Args[1]);
                // Without -q, progress is shown only when stdout is a terminal.
                bool silent = quiet.Changed ? quiet.Value : !inv.Cli.StdoutIsTerminal;
                var options = new CopyRequest(sourceContainer ?? destinationContainer ?? "", source, destination, followLink.Value, archive.Value, silent);
                switch (sourceContainer, destinationContainer)
                {
                    case ({ }, null):
                        await FromContainerAsync(inv.Cli, options).ConfigureAwait(false);
                        break;
                    case (null, { }):
                        await ToContainerAsync(inv.Cli, options).ConfigureAwait(false);
                        break;
                    case ({ }, { }):
                        throw new CliException("copying between containers is not supported");
                    default:
                        throw new CliException("must specify at least one container source");
                }
                return 0;
            };
        },
    };

    /// <summary>
    /// splitCpArg: "CONTAINER:PATH", or a local path: an absolute one, one without ":", or one starting with "."
    /// ("./file:name" is local, as with scp).
    /// </summary>
    static (string? Container, string Path) SplitArgument(string argument)
    {
        if (GoPath.IsAbs(argument))
            return (null, argument);
        int colon = argument.IndexOf(':');
        if (colon < 0 || argument.StartsWith('.'))
            return (null, argument);
        return (argument[..colon], argument[(colon + 1)..]);
    }

    static async Task FromContainerAsync(CliContext cli, CopyRequest options)
    {
        string source = options.Source;
        string destination = options.Destination;
        if (destination != "-")
            destination = LocalCopyPaths.Resolve(destination);
        LocalCopyPaths.ValidateOutputPath(destination);

        string rebaseName = "";
        if (options.FollowLink)
        {
            try
            {
                var stat = await cli.Client.StatPathAsync(options.Container, source).ConfigureAwait(false);
                if (GoFileMode.IsSymlink(stat.Mode))
                {
                    string target = GoPath.IsAbs(stat.LinkTarget) ? stat.LinkTarget : GoPath.Join(CopyPaths.SplitDirEntry(source).Dir, stat.LinkTarget);
                    (source, rebaseName) = CopyPaths.RebaseName(source, target);
                }
            }
            catch (DaemonException)
            {
                // As docker: the GET that follows reports what is wrong with the path.
            }
        }

        var (response, pathStat) = await cli.Client.GetArchiveAsync(options.Container, source).ConfigureAwait(false);
        using (response)
        {
            if (destination == "-")
            {
                cli.Flush();
                await response.Body.CopyToAsync(cli.StdoutStream).ConfigureAwait(false);
                await cli.StdoutStream.FlushAsync().ConfigureAwait(false);
                return;
            }
            var sourceInfo = new CopyInfo(source, Exists: true, IsDir: GoFileMode.IsDir(pathStat.Mode), RebaseName: rebaseName);
            var progress = new CopyProgress();
            Exception? failure = null;
            try
            {
                var content = options.Quiet ? response.Body : progress.Count(response.Body);
                await Task.Run(() => ExtractLocally(content, sourceInfo, destination)).ConfigureAwait(false);
            }
            catch (CliException e)
            {
                failure = e;
            }
            // docker prints its summary even when the extraction failed, then the error.
            if (!options.Quiet)
                await progress.ReportAsync(cli, destination).ConfigureAwait(false);
            if (failure is not null)
                throw failure;
        }
    }

    /// <summary>archive.CopyTo: into the destination's directory, renamed as the destination says, owned by whoever runs berth.</summary>
    static void ExtractLocally(Stream content, CopyInfo source, string destination)
    {
        var plan = LocalCopyPaths.Prepare(source, LocalCopyPaths.Destination(destination));
        // The entries start with the source's name: the destination's name replaces it, else the name of the
        // symlink -L followed. A root source's entries start with "/", which stays ("" is replaced).
        string sourceBase = CopyPaths.SplitDirEntry(source.Path).Base;
        string? newName = plan.NewName ?? (source.RebaseName.Length > 0 ? source.RebaseName : null);
        var rename = newName is null ? ((string, string)?)null : (sourceBase == "/" ? "" : sourceBase, newName);
        var apply = new ApplyOptions { Whiteouts = WhiteoutMode.None, ChangeOwnership = false, NoOverwriteDirNonDir = true, SymlinksStayInside = true, Rename = rename };
        try
        {
            LayerApplier.Apply(content, plan.Directory, apply);
        }
        catch (StoreException e)
        {
            throw new CliException(e.Message);
        }
    }

    static async Task ToContainerAsync(CliContext cli, CopyRequest options)
    {
        string source = options.Source;
        string destination = options.Destination;
        if (source != "-")
            source = LocalCopyPaths.Resolve(source);

        var destinationInfo = await DestinationInContainerAsync(cli, options).ConfigureAwait(false);
        if (source == "-")
        {
            if (!destinationInfo.IsDir)
                throw new CliException($"destination \"{options.Container}:{destination}\" must be a directory");
            // Stdin's tar goes as it is, and docker counts it as nothing.
            await PutAsync(cli, options, destinationInfo, destinationInfo.Path, cli.StdinStream, counted: false).ConfigureAwait(false);
            return;
        }

        var sourceInfo = LocalCopyPaths.Source(source, options.FollowLink);
        var plan = LocalCopyPaths.Prepare(sourceInfo, destinationInfo);
        var (sourceDir, sourceBase) = CopyPaths.SplitDirEntry(sourceInfo.Path);
        // TarResource, then PrepareArchiveCopy's renaming: written under the final name at once.
        string entryName = plan.NewName ?? (sourceInfo.RebaseName.Length > 0 ? sourceInfo.RebaseName : sourceBase);
        int dirFd = FilesAt.Open(-100 /* AT_FDCWD */, Encoding.UTF8.GetBytes(sourceDir), OpenFlags.ReadOnly | OpenFlags.Directory);
        if (dirFd < 0)
            throw new CliException($"open {sourceDir}: {LinuxException.Describe(-dirFd)}");
        // The tar is made while it is sent: a refused upload completes the pipe's reading end with its error, and the
        // archiving then stops at its next write instead of going on for nobody.
        var pipe = new Pipe();
        var producer = Task.Factory.StartNew(() =>
        {
            try
            {
                var tar = pipe.Writer.AsStream();
                ResourceWriter.Write(dirFd, Encoding.UTF8.GetBytes(sourceBase), Encoding.UTF8.GetBytes(entryName), tar);
                tar.Flush();
                pipe.Writer.Complete();
            }
            catch (Exception e)
            {
                pipe.Writer.Complete(e);
                throw;
            }
            finally
            {
                FilesAt.Close(dirFd);
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        try
        {
            await PutAsync(cli, options, destinationInfo, plan.Directory, pipe.Reader.AsStream(leaveOpen: true), counted: true).ConfigureAwait(false);
            await pipe.Reader.CompleteAsync().ConfigureAwait(false);
            await producer.ConfigureAwait(false);
        }
        catch (Exception e)
        {
            await pipe.Reader.CompleteAsync(e).ConfigureAwait(false);
            await Task.WhenAny(producer).ConfigureAwait(false);
            // What went wrong on this side explains a broken upload better than the upload's own error.
            if (producer.Exception?.InnerException is StoreException or IOException && e is not DaemonException)
                throw new CliException(producer.Exception.InnerException.Message);
            throw;
        }
    }

    /// <summary>
    /// The destination as the container has it (HEAD): a symlink is followed once, and a path that cannot be stat-ed
    /// is taken as one the extraction may still create (any real problem shows in the upload).
    /// </summary>
    static async Task<CopyInfo> DestinationInContainerAsync(CliContext cli, CopyRequest options)
    {
        string path = options.Destination;
        try
        {
            var stat = await cli.Client.StatPathAsync(options.Container, path).ConfigureAwait(false);
            if (GoFileMode.IsSymlink(stat.Mode))
            {
                path = GoPath.IsAbs(stat.LinkTarget) ? stat.LinkTarget : GoPath.Join(CopyPaths.SplitDirEntry(options.Destination).Dir, stat.LinkTarget);
                stat = await cli.Client.StatPathAsync(options.Container, path).ConfigureAwait(false);
            }
            if (GoFileMode.NotWritableReason(stat.Mode) is { } reason)
                throw new CliException($"destination \"{options.Container}:{options.Destination}\" must be a directory or a regular file: {reason}");
            return new CopyInfo(path, Exists: true, IsDir: GoFileMode.IsDir(stat.Mode));
        }
        catch (DaemonException)
        {
            return new CopyInfo(path);
        }
    }

    /// <summary>
    /// The upload into <paramref name="directory"/>, with docker's summary after it, naming the destination as the
    /// user's path led to it (printed even when the daemon refused, before its error).
    /// </summary>
    static async Task PutAsync(CliContext cli, CopyRequest options, CopyInfo destination, string directory, Stream tar, bool counted)
    {
        var progress = new CopyProgress();
        var content = options.Quiet || !counted ? tar : progress.Count(tar);
        Exception? failure = null;
        try
        {
            await cli.Client.PutArchiveAsync(options.Container, directory, content, options.CopyUidGid).ConfigureAwait(false);
        }
        catch (DaemonException e)
        {
            failure = e;
        }
        if (!options.Quiet)
            await progress.ReportAsync(cli, $"{options.Container}:{destination.Path}").ConfigureAwait(false);
        if (failure is not null)
            throw failure;
    }
}
