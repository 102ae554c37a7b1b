using System.Globalization;
using System.Text;
using Berth.Images.Content;
using Berth.Images.Gc;
using Berth.Images.Metadata;
using Berth.Images.Snapshots;
using Berth.Images.Tests.Gc;
using Berth.Oci;

namespace Berth.Images.CrashHelper;

/// <summary>
/// One random step at a time, the work of an image store, following the protocols the real
/// operations follow: pulls under a lease (lease, then write; children before the manifest that
/// labels them; the image row last), unpacks into transient snapshots whose directories are made
/// inside the inserting transaction, image removal, garbage collection, ingests resumed across
/// processes, and ingests abandoned.
/// </summary>
internal sealed class CrashWork(FileContentStore content, MetadataStore metadata, DirectorySnapshotCollector snapshots, GarbageCollector gc, Random random)
{
    public const string ResumableLease = "resumables";
    const string ManifestType = "application/vnd.oci.image.manifest.v1+json";

    public void Step()
    {
        switch (random.Next(20))
        {
            case < 9:
                Pull();
                break;
            case < 11:
                metadata.Write(tx => tx.Images.Delete(ImageName(random.Next(6))));
                break;
            case < 13:
                gc.Collect(new GcOptions { IngestAge = TimeSpan.Zero });
                break;
            case < 17:
                Resume();
                break;
            default:
                Abandon();
                break;
        }
    }

    public static string ImageName(int n) => string.Create(CultureInfo.InvariantCulture, $"test/image-{n}:latest");

    /// <summary>Layer n's bytes: the same in every process, so images share layers and snapshots.</summary>
    public static byte[] Layer(int n)
    {
        var r = new Random(7919 * n + 1);
        var data = new byte[r.Next(0, 1_500_000)];
        r.NextBytes(data);
        return data;
    }

    /// <summary>The blob resumable-n writes, a piece per step, across processes.</summary>
    public static byte[] Resumable(int n)
    {
        var data = new byte[4_000_000 + n];
        new Random(1000 + n).NextBytes(data);
        return data;
    }

    void Pull()
    {
        using var lease = LeaseHandle.Create(metadata);
        var layers = new Digest[random.Next(1, 4)];
        for (int i = 0; i < layers.Length; i++)
        {
            var data = Layer(random.Next(10));
            layers[i] = Digest.FromBytes(data);
            // A killed pull left this ingest: the writer resumes it where it stopped.
            using var writer = lease.OpenWriter(content, $"pull-{layers[i]}", layers[i], data.Length);
            if (writer is null)
                continue;
            Write(writer, data.AsMemory((int)writer.Offset));
            writer.Commit();
        }
        string chain = Unpack(lease, layers);

        var config = Json($"{{\"rootfs\":{{\"diff_ids\":[{string.Join(",", layers.Select(l => $"\"{l}\""))}]}},\"n\":{random.Next()}}}");
        var configDigest = CommitNew(lease, config);
        var manifest = Json($"{{\"config\":\"{configDigest}\",\"layers\":[{string.Join(",", layers.Select(l => $"\"{l}\""))}]}}");
        var manifestDigest = CommitNew(lease, manifest);
        metadata.Write(tx =>
        {
            tx.Content.Set(configDigest, new Dictionary<string, string> { [GcLabels.Snapshot(snapshots.Snapshotter)] = chain });
            tx.Content.Set(manifestDigest, GcLabels.ForManifest(configDigest, layers));
            tx.Images.Set(ImageName(random.Next(6)), manifestDigest, ManifestType, manifest.Length);
        });
    }

    /// <summary>Snapshots for the layers' chain IDs, made as an unpacker makes them; returns the top one.</summary>
    string Unpack(LeaseHandle lease, Digest[] layers)
    {
        string? parent = null;
        string chain = "";
        foreach (var layer in layers)
        {
            chain = parent is null ? layer.ToString() : Digest.FromBytes(Encoding.UTF8.GetBytes($"{chain} {layer}")).ToString();
            string name = chain, key = $"extract-{Guid.NewGuid():N}";
            string? under = parent;
            bool present = metadata.Write(tx =>
            {
                var records = tx.Snapshots(snapshots.Snapshotter);
                if (records.Get(name) is not null)
                {
                    lease.Add(tx, LeaseResource.Snapshot(snapshots.Snapshotter, name));
                    return true;
                }
                var active = records.Insert(key, under, SnapshotKind.Active, new Dictionary<string, string> { [GcLabels.Transient] = "" });
                lease.Add(tx, LeaseResource.Snapshot(snapshots.Snapshotter, key));
                snapshots.Create(active.Id, random.Next(0, 50_000));
                return false;
            });
            if (!present)
            {
                // Extraction happens between insert and commit, outside any transaction: the window in
                // which a real unpack is most often killed, with the snapshot still active.
                Thread.Sleep(random.Next(5, 60));
                metadata.Write(tx =>
                {
                    tx.Snapshots(snapshots.Snapshotter).Commit(key, name, new Dictionary<string, string>());
                    lease.Add(tx, LeaseResource.Snapshot(snapshots.Snapshotter, name));
                });
            }
            parent = chain;
        }
        return chain;
    }

    /// <summary>Content whose digest is known only once written: committed and leased with no collection between.</summary>
    Digest CommitNew(LeaseHandle lease, byte[] data)
    {
        using var writer = content.OpenWriter($"new-{Guid.NewGuid():N}")!;
        Write(writer, data);
        return lease.Commit(writer);
    }

    void Resume()
    {
        int n = random.Next(3);
        string reference = string.Create(CultureInfo.InvariantCulture, $"resumable-{n}");
        var data = Resumable(n);
        var digest = Digest.FromBytes(data);
        metadata.Write(tx =>
        {
            if (tx.Leases.Get(ResumableLease) is null)
                tx.Leases.Create(ResumableLease);
            tx.Leases.AddResource(ResumableLease, LeaseResource.Ingest(reference));
            tx.Leases.AddResource(ResumableLease, LeaseResource.Content(digest));
        });
        using (var writer = content.OpenWriter(reference, digest, data.Length))
        {
            if (writer is not null)
            {
                int start = (int)writer.Offset;
                int end = Math.Min(data.Length, start + random.Next(1, 1_500_000));
                Write(writer, data.AsMemory(start, end - start));
                if (end < data.Length)
                    return;
                // The digest is checked against the whole blob: every process's piece must be right.
                writer.Commit();
            }
        }
        // Let the next collection take it, so that it is written again later.
        metadata.Write(tx => tx.Leases.RemoveResource(ResumableLease, LeaseResource.Content(digest)));
    }

    void Abandon()
    {
        string reference = string.Create(CultureInfo.InvariantCulture, $"abandoned-{random.Next(50)}");
        using var writer = content.OpenWriter(reference)!;
        var data = new byte[random.Next(0, 1_000_000)];
        random.NextBytes(data);
        Write(writer, data);
        switch (random.Next(4))
        {
            case 0:
                writer.Abort();
                break;
            case 1:
                writer.Commit();
                break;
        }
    }

    void Write(ContentWriter writer, ReadOnlyMemory<byte> data)
    {
        while (!data.IsEmpty)
        {
            int n = Math.Min(data.Length, random.Next(3) == 0 ? random.Next(1 << 20, 2 << 20) : random.Next(1, 100_000));
            if (random.Next(2) == 0)
                writer.Write(data.Span[..n]);
            else
                writer.WriteAsync(data[..n]).AsTask().GetAwaiter().GetResult();
            data = data[n..];
        }
    }

    static byte[] Json(string text) => Encoding.UTF8.GetBytes(text);
}
