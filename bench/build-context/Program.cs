using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Berth.Bench.BuildContext;
using Berth.Bench.Images;
using Berth.Build.Context;
using Berth.Build.Copy;

// Each case runs Berth and GNU tar alternately, `iterations` times after one untimed warm-up round; medians printed, and the mean CPU time (user + system, children included: tar's own, not sync's, is
// what is counted for it, since sync runs before the clock starts).
int iterations = 11;
string parent = "/var/tmp";
string? only = null; // "pack" or "receive": Berth's side alone, no sync, for a profiler
for (int i = 0; i + 1 < args.Length; i += 2)
{
    if (args[i] == "--iterations")
        iterations = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
    else if (args[i] == "--dir")
        parent = args[i + 1];
    else if (args[i] == "--only")
        only = args[i + 1];
}
string work = Path.Combine(parent, "berth-bench-build-context-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4)));
Directory.CreateDirectory(work);
try
{
    string tree = Path.Combine(work, "context");
    long size = Tree.Make(tree);
    string scratch = Path.Combine(work, "scratch");
    string tarFile = Path.Combine(work, "context.tar");
    string untarred = Path.Combine(work, "untarred");
    Console.WriteLine($"bench/build-context: {size / 1e6:0.0} MB in 5,002 files; {iterations} iterations each, interleaved, after a warm-up; data in {work}");

    var packed = new MemoryStream(64 << 20);
    if (only is not null)
    {
        ContextPacker.Pack(tree, packed);
        for (int i = 0; i < iterations; i++)
        {
            var clock = Stopwatch.StartNew();
            if (only == "pack")
            {
                packed.SetLength(0);
                ContextPacker.Pack(tree, packed);
            }
            else
                BuildContext.Receive(new MemoryStream(packed.GetBuffer(), 0, (int)packed.Length, writable: false), null, scratch).Dispose();
            Console.WriteLine($"{only}: {clock.Elapsed.TotalMilliseconds:0.0} ms");
        }
        return;
    }
    var pack = new Result("pack the context (client side)");
    var receive = new Result("receive the context (daemon side: extract + sha256 of every file)");
    var checksum = new Result("cache key of COPY . / over the received context (all a warm build reads of it)");
    var remove = new Result("remove the received context");
    var copyAll = new CopyOptions { Sources = ["."], Destination = "/" };
    for (int i = -1; i < iterations; i++)
    {
        bool warmUp = i < 0;
        pack.Time("berth Pack", warmUp: warmUp, action: () =>
        {
            packed.SetLength(0);
            ContextPacker.Pack(tree, packed);
        });
        pack.Time("GNU tar -c", warmUp: warmUp, action: () => Tree.Run("tar", "-C", tree, "-cf", tarFile, "."));

        BuildContext? context = null;
        receive.Time("berth Receive", warmUp: warmUp, action: () => context = BuildContext.Receive(new MemoryStream(packed.GetBuffer(), 0, (int)packed.Length, writable: false), null, scratch));
        checksum.Time("berth Checksum", warmUp: warmUp, action: () => ContextCopier.Checksum(context!.Root, copyAll, context));
        remove.Time("berth Dispose", warmUp: warmUp, action: () => context!.Dispose());
        Directory.CreateDirectory(untarred);
        receive.Time("GNU tar -x", warmUp: warmUp, action: () => Tree.Run("tar", "-C", untarred, "-xf", tarFile));
        remove.Time("rm -rf", warmUp: warmUp, action: () => Tree.Run("rm", "-rf", untarred));
    }
    Console.WriteLine($"context tar: {packed.Length / 1e6:0.0} MB (berth), {new FileInfo(tarFile).Length / 1e6:0.0} MB (GNU tar)");
    pack.Print();
    receive.Print();
    checksum.Print();
    remove.Print();
}
finally
{
    Directory.Delete(work, recursive: true);
}
