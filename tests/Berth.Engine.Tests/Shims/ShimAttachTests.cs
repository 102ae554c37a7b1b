using System.Text;
using Berth.Engine.Shims;
using Berth.Engine.Streams;

namespace Berth.Engine.Tests.Shims;

/// <summary>attach: output as Docker's frames (raw with a tty), stdin to the container, resize.</summary>
public sealed class ShimAttachTests
{
    [Fact]
    public async Task An_attach_before_start_sees_all_output_on_the_right_streams()
    {
        using var sandbox = new ShimSandbox("shim-attach", "sh", "-c", "echo one; echo two >&2; echo three; echo four >&2");
        var shim = await sandbox.SpawnAsync();
        using var both = await shim.AttachAsync(stdin: false, stdout: true, stderr: true, CancellationToken.None);
        using var onlyErr = await shim.AttachAsync(stdin: false, stdout: false, stderr: true, CancellationToken.None);
        await shim.StartAsync(CancellationToken.None);

        var (stdout, stderr) = await ShimStreams.ReadFramesToEndAsync(both);
        var (noOut, errOnly) = await ShimStreams.ReadFramesToEndAsync(onlyErr);

        Assert.Equal("one\nthree\n", stdout);
        Assert.Equal("two\nfour\n", stderr);
        Assert.Equal("", noOut);
        Assert.Equal("two\nfour\n", errOnly);
        Assert.Equal(0, (await shim.WaitAsync(CancellationToken.None)).ExitCode);
    }

    [Fact]
    public async Task Stdin_reaches_the_container_and_its_end_closes_stdin_once()
    {
        using var sandbox = new ShimSandbox("shim-stdin", "cat");
        var shim = await sandbox.SpawnAsync(stdin: true, stdinOnce: true);
        using var stream = await shim.AttachAsync(stdin: true, stdout: true, stderr: true, CancellationToken.None);
        await shim.StartAsync(CancellationToken.None);

        await stream.WriteAsync("hello\nworld\n"u8.ToArray());
        ((ShimStream)stream).CloseWrite();
        var (stdout, stderr) = await ShimStreams.ReadFramesToEndAsync(stream);

        Assert.Equal("hello\nworld\n", stdout);
        Assert.Equal("", stderr);
        Assert.Equal(0, (await shim.WaitAsync(CancellationToken.None)).ExitCode);
        Assert.Equal([("stdout", "hello\n"), ("stdout", "world\n")], sandbox.LogEntries());
    }

    [Fact]
    public async Task Without_stdin_once_a_detaching_writer_leaves_stdin_open_for_the_next()
    {
        using var sandbox = new ShimSandbox("shim-stdin2", "sh", "-c", "read a; echo got $a; read b; echo got $b");
        var shim = await sandbox.SpawnAsync(stdin: true);
        using var output = await shim.AttachAsync(stdin: false, stdout: true, stderr: true, CancellationToken.None);
        var frames = new MultiplexedStreamReader(output);
        await shim.StartAsync(CancellationToken.None);

        using (var first = await shim.AttachAsync(stdin: true, stdout: false, stderr: false, CancellationToken.None))
        {
            await first.WriteAsync("x\n"u8.ToArray());
            ((ShimStream)first).CloseWrite();
        }
        using var bound = new CancellationTokenSource(ShimStreams.Bound);
        var frame = await frames.ReadFrameAsync(bound.Token);
        Assert.Equal("got x\n", Encoding.UTF8.GetString(frame!.Value.Payload.Span));
        using (var second = await shim.AttachAsync(stdin: true, stdout: false, stderr: false, CancellationToken.None))
            await second.WriteAsync("y\n"u8.ToArray());
        var (stdout, _) = await ShimStreams.ReadFramesToEndAsync(output);

        Assert.Equal("got y\n", stdout);
    }

    [Fact]
    public async Task A_tty_container_streams_raw_bytes_and_resize_changes_its_size()
    {
        using var sandbox = new ShimSandbox("shim-tty", "sh", "-c", "stty size; read go; stty size");
        sandbox.Bundle.Configure(spec => spec.Process!.Terminal = true);
        var shim = await sandbox.SpawnAsync(tty: true, stdin: true);
        using var stream = await shim.AttachAsync(stdin: true, stdout: true, stderr: true, CancellationToken.None);
        await shim.ResizeAsync(24, 80, CancellationToken.None);
        await shim.StartAsync(CancellationToken.None);

        var seen = new StringBuilder();
        await ShimStreams.ReadRawUntilAsync(stream, seen, "24 80");
        await shim.ResizeAsync(31, 101, CancellationToken.None);
        await stream.WriteAsync("\n"u8.ToArray());
        await ShimStreams.ReadRawUntilAsync(stream, seen, "31 101");
        seen.Append(Encoding.UTF8.GetString(await ShimStreams.ReadRawToEndAsync(stream)));

        // A terminal's output: no frame headers, and the line discipline's \r\n.
        Assert.StartsWith("24 80\r\n", seen.ToString());
        Assert.Contains("31 101\r\n", seen.ToString());
        Assert.Equal(0, (await shim.WaitAsync(CancellationToken.None)).ExitCode);
        Assert.All(sandbox.LogEntries(), e => Assert.Equal("stdout", e.Stream));
    }

    [Fact]
    public async Task Resize_without_a_terminal_is_refused()
    {
        using var sandbox = new ShimSandbox("shim-notty", "true");
        var shim = await sandbox.SpawnAsync();
        var e = await Assert.ThrowsAsync<ShimException>(() => shim.ResizeAsync(10, 10, CancellationToken.None));
        Assert.Contains("no terminal", e.Message);
        await shim.KillAsync(9, all: true, CancellationToken.None);
        // Killed before its start, it never ran: no exit to wait for (the shim says so, or is gone already).
        await Assert.ThrowsAsync<ShimException>(() => shim.WaitAsync(CancellationToken.None));
    }
}
