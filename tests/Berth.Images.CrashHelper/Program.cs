using System.Globalization;
using Berth.Images.Content;
using Berth.Images.CrashHelper;
using Berth.Images.Gc;
using Berth.Images.Metadata;
using Berth.Images.Tests.Gc;

// berth-images-crash-helper <data root> <seed>: works on the store until killed; prints "ready" once
// the stores are open, so the test kills it while it works rather than while .NET starts.
if (args.Length != 2)
{
    Console.Error.WriteLine("usage: Berth.Images.CrashHelper <data root> <seed>");
    return 2;
}
string root = args[0];
var content = new FileContentStore(Path.Combine(root, "content"));
using var metadata = MetadataStore.Open(root);
var snapshots = new DirectorySnapshotCollector(Path.Combine(root, "snapshots"));
var work = new CrashWork(content, metadata, snapshots, new GarbageCollector(metadata, content, [snapshots]),
    new Random(int.Parse(args[1], CultureInfo.InvariantCulture)));
Console.WriteLine("ready");
for (long step = 0; ; step++)
    work.Step();
