using System.Globalization;
using Berth.Images.Content;
using Berth.Images.CrashHelper;
using Berth.Images.Gc;
using Berth.Images.Metadata;
using Berth.Images.Store;
using Berth.Images.Tests.Gc;

// berth-images-crash-helper <data root> <seed> [store <rootfs tar> <archive>]: works on the store until
// killed; prints "ready" once the stores are open, so the test kills it while it works rather than
// while .NET starts. Without "store", raw content, metadata and snapshot rows; with it, image operations.
if (args.Length != 2 && !(args.Length == 5 && args[2] == "store"))
{
    Console.Error.WriteLine("usage: Berth.Images.CrashHelper <data root> <seed> [store <rootfs tar> <archive>]");
    return 2;
}
string root = args[0];
var random = new Random(int.Parse(args[1], CultureInfo.InvariantCulture));
if (args.Length == 5)
{
    using var store = ImageStore.Open(root);
    var images = new StoreWork(store, args[3], args[4], random);
    Console.WriteLine("ready");
    while (true)
        images.Step();
}
var content = new FileContentStore(Path.Combine(root, "content"));
using var metadata = MetadataStore.Open(root);
var snapshots = new DirectorySnapshotCollector(Path.Combine(root, "snapshots"));
var work = new CrashWork(content, metadata, snapshots, new GarbageCollector(metadata, content, [snapshots]), random);
Console.WriteLine("ready");
for (long step = 0; ; step++)
    work.Step();
