using System.Text.Json;
using Berth.Oci.Runtime;
using Berth.TestSupport;

namespace Berth.Runtime.Tests;

/// <summary>A started container (sleep by default) for tests that act on a running one; removed on dispose.</summary>
internal sealed class RunningContainer : IDisposable
{
    public RunningContainer(OciRuntimeCli runtime, string name, Action<RuntimeSpec>? configure = null, params string[] args)
    {
        Runtime = runtime;
        Bundle = Bundle.Create(name, args.Length > 0 ? args : ["sleep", "1000"]);
        if (configure is not null)
            Bundle.Configure(configure);
        Id = runtime.Track(TestIds.New(name));
        runtime.Create(Bundle, Id);
        runtime.Invoke("start", Id).EnsureSuccess($"start {Id}");
        Pid = JsonDocument.Parse(runtime.State(Id)).RootElement.GetProperty("pid").GetInt32();
    }

    public OciRuntimeCli Runtime { get; }

    public Bundle Bundle { get; }

    public string Id { get; }

    public int Pid { get; }

    public string Status => JsonDocument.Parse(Runtime.State(Id)).RootElement.GetProperty("status").GetString()!;

    public CommandResult Exec(params string[] args) => Runtime.Invoke(["exec", .. args]);

    public void Dispose()
    {
        Runtime.Invoke("delete", "--force", Id);
        Bundle.Dispose();
    }
}
