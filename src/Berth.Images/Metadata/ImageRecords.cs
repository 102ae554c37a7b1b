using Berth.Oci;
using Microsoft.Data.Sqlite;

namespace Berth.Images.Metadata;

/// <summary>
/// An image as containerd records one: a unique name (a normalised reference such as
/// docker.io/library/alpine:3.20, or a digest reference) pointing at a target descriptor — a manifest
/// or an index — by digest, media type and size. The target and everything its gc labels reach are
/// garbage-collection roots.
/// </summary>
public sealed record ImageRecord(
    string Name,
    Digest Target,
    string MediaType,
    long Size,
    DateTimeOffset Created,
    DateTimeOffset Updated,
    IReadOnlyDictionary<string, string> Labels);

/// <summary>The images table, through a transaction.</summary>
public sealed class ImageRecords
{
    const string Columns = "id, name, target_digest, target_media_type, target_size, created, updated";

    readonly MetadataTransaction _tx;

    internal ImageRecords(MetadataTransaction tx) => _tx = tx;

    public ImageRecord? Get(string name)
    {
        using var command = _tx.Command($"SELECT {Columns} FROM images WHERE name = $name").With("$name", name);
        using var reader = command.ExecuteReader();
        return reader.Read() ? ReadOne(reader) : null;
    }

    /// <summary>All images, by name.</summary>
    public IReadOnlyList<ImageRecord> List() => Query($"SELECT {Columns} FROM images ORDER BY name", null);

    /// <summary>The images whose target is <paramref name="target"/> (all the names of one manifest), by name.</summary>
    public IReadOnlyList<ImageRecord> ByTarget(Digest target)
        => Query($"SELECT {Columns} FROM images WHERE target_digest = $target ORDER BY name", target.ToString());

    /// <summary>A new image; <see cref="StoreErrorKind.Conflict"/> if the name is taken.</summary>
    public ImageRecord Create(string name, Digest target, string mediaType, long size, IReadOnlyDictionary<string, string>? labels = null)
    {
        if (Get(name) is not null)
            throw StoreException.Conflict($"image \"{name}\": already exists");
        return Set(name, target, mediaType, size, labels ?? LabelTable.Empty);
    }

    /// <summary>
    /// Creates the image or points it at a new target (a tag moving to another manifest), keeping its
    /// creation time; <paramref name="labels"/> replace the old ones, or (null) keep them.
    /// </summary>
    public ImageRecord Set(string name, Digest target, string mediaType, long size, IReadOnlyDictionary<string, string>? labels = null)
    {
        if (string.IsNullOrEmpty(name))
            throw StoreException.Invalid("image name must not be empty");
        if (target.IsEmpty || string.IsNullOrEmpty(mediaType) || size < 0)
            throw StoreException.Invalid($"image \"{name}\": target needs a digest, a media type and a size");
        LabelTable.Validate(labels);
        using var command = _tx.WriteCommand(
            """
            INSERT INTO images (name, target_digest, target_media_type, target_size, created, updated)
            VALUES ($name, $digest, $type, $size, $now, $now)
            ON CONFLICT (name) DO UPDATE SET target_digest = $digest, target_media_type = $type, target_size = $size, updated = $now
            RETURNING id
            """)
            .With("$name", name).With("$digest", target.ToString()).With("$type", mediaType).With("$size", size).With("$now", SqlTime.ToNanos(_tx.Now));
        long id = (long)command.ExecuteScalar()!;
        if (labels is not null)
            LabelTable.Images.Replace(_tx, id, labels);
        return Get(name)!;
    }

    /// <summary>Sets (or, with a null value, removes) one label; <see cref="StoreErrorKind.NotFound"/> if there is no such image.</summary>
    public ImageRecord SetLabel(string name, string key, string? value)
    {
        long id = IdOf(name);
        LabelTable.Images.Set(_tx, id, key, value);
        Touch(id);
        return Get(name)!;
    }

    /// <summary>Removes an image; false if there was none. Its content stays until garbage collection.</summary>
    public bool Delete(string name)
    {
        using var command = _tx.WriteCommand("DELETE FROM images WHERE name = $name").With("$name", name);
        return command.ExecuteNonQuery() > 0;
    }

    long IdOf(string name)
    {
        using var command = _tx.Command("SELECT id FROM images WHERE name = $name").With("$name", name);
        return command.ExecuteScalar() is long id ? id : throw StoreException.NotFound($"image \"{name}\": not found");
    }

    void Touch(long id)
    {
        using var command = _tx.WriteCommand("UPDATE images SET updated = $now WHERE id = $id").With("$now", SqlTime.ToNanos(_tx.Now)).With("$id", id);
        command.ExecuteNonQuery();
    }

    IReadOnlyList<ImageRecord> Query(string sql, string? target)
    {
        var labels = LabelTable.Images.LoadAll(_tx, r => r.GetInt64(0));
        using var command = _tx.Command(sql);
        if (target is not null)
            command.With("$target", target);
        using var reader = command.ExecuteReader();
        var images = new List<ImageRecord>();
        while (reader.Read())
            images.Add(Materialize(reader, labels.TryGetValue(reader.GetInt64(0), out var l) ? l : LabelTable.Empty));
        return images;
    }

    ImageRecord ReadOne(SqliteDataReader reader) => Materialize(reader, LabelTable.Images.Load(_tx, reader.GetInt64(0)));

    static ImageRecord Materialize(SqliteDataReader reader, IReadOnlyDictionary<string, string> labels) => new(
        Name: reader.GetString(1),
        Target: Digest.Parse(reader.GetString(2)),
        MediaType: reader.GetString(3),
        Size: reader.GetInt64(4),
        Created: SqlTime.FromNanos(reader.GetInt64(5)),
        Updated: SqlTime.FromNanos(reader.GetInt64(6)),
        Labels: labels);
}
