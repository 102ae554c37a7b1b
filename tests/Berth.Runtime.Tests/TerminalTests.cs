using System.Net.Sockets;
using System.Text;
using Berth.Linux;
using Berth.TestSupport;
using Microsoft.Win32.SafeHandles;

namespace Berth.Runtime.Tests;

/// <summary>terminal: true — the pty master arrives on the console socket (SCM_RIGHTS), as with runc.</summary>
public sealed class TerminalTests : IDisposable
{
    readonly OciRuntimeCli _runtime = OciRuntimeCli.Berth();

    [Fact]
    public void The_pty_master_is_sent_over_the_console_socket_and_drives_the_container()
    {
        string socketPath = Path.Combine(Path.GetTempPath(), TestIds.New("console") + ".sock");
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(socketPath));
        listener.Listen(1);
        try
        {
            using var bundle = Bundle.Create("tty", "sh", "-c", "tty; stty size; [ -c /dev/console ] && echo console-is-a-tty; read line; echo got:$line");
            bundle.Configure(s =>
            {
                s.Process!.Terminal = true;
                s.Process.ConsoleSize = new Oci.Runtime.ConsoleSize { Height = 40, Width = 100 };
            });
            string id = _runtime.Track(TestIds.New("tty"));
            // The runtime connects during create, and create returns only after the master was sent.
            _runtime.Create(bundle, id, "--console-socket", socketPath);
            using var connection = listener.Accept();
            var (_, fds) = UnixSockets.ReceiveFds(new SafeFileHandle(connection.Handle, ownsHandle: false));
            Assert.Single(fds);
            using var master = new FileStream(fds[0], FileAccess.ReadWrite, bufferSize: 0);
            _runtime.Invoke("start", id).EnsureSuccess("start");
            master.Write("hello\n"u8);
            string output = ReadUntil(master, "got:hello");
            Assert.Contains("/dev/pts/0", output);
            Assert.Contains("40 100", output);
            Assert.Contains("console-is-a-tty", output);
        }
        finally
        {
            File.Delete(socketPath);
        }
    }

    [Fact]
    public void Run_in_the_foreground_proxies_its_own_terminal()
    {
        using var bundle = Bundle.Create("ttyrun", "sh", "-c", "tty; echo done");
        bundle.Configure(s => s.Process!.Terminal = true);
        var result = _runtime.Run(bundle);
        result.EnsureSuccess("run with terminal");
        Assert.Contains("/dev/pts/0", result.Stdout);
        Assert.Contains("done", result.Stdout);
    }

    [Fact]
    public void A_terminal_without_console_socket_is_refused_for_create()
    {
        using var bundle = Bundle.Create("ttybad", "sh");
        bundle.Configure(s => s.Process!.Terminal = true);
        string id = _runtime.Track(TestIds.New("ttybad"));
        var result = _runtime.Invoke("create", "--bundle", bundle.Path, id);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("console socket", result.Stderr);
    }

    static string ReadUntil(Stream stream, string marker)
    {
        var text = new StringBuilder();
        var buffer = new byte[4096];
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!text.ToString().Contains(marker))
        {
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"no '{marker}' from the terminal; got: {text}");
            int n = stream.Read(buffer);
            if (n <= 0)
                break;
            text.Append(Encoding.UTF8.GetString(buffer, 0, n));
        }
        return text.ToString();
    }

    public void Dispose() => _runtime.Dispose();
}
