namespace Berth.Images.Metadata;

/// <summary>
/// Labels (string to string) of one kind of object, kept in a (owner, key, value) table so that
/// garbage collection can select the gc labels with SQL. Owners are ids (images, snapshots) or text
/// (lease ids, digests).
/// </summary>
internal sealed class LabelTable(string table, string ownerColumn)
{
    public static readonly IReadOnlyDictionary<string, string> Empty = new Dictionary<string, string>();

    public static readonly LabelTable Images = new("image_labels", "image_id");
    public static readonly LabelTable Snapshots = new("snapshot_labels", "snapshot_id");
    public static readonly LabelTable Leases = new("lease_labels", "lease_id");
    public static readonly LabelTable Content = new("content_labels", "digest");

    /// <summary>containerd's limit: a label's key and value together fit in 4096 bytes.</summary>
    public static void Validate(IReadOnlyDictionary<string, string>? labels)
    {
        if (labels is null)
            return;
        foreach (var (key, value) in labels)
            Validate(key, value);
    }

    public static void Validate(string key, string? value)
    {
        if (string.IsNullOrEmpty(key))
            throw StoreException.Invalid("label key must not be empty");
        if (key.Length + (value?.Length ?? 0) > 4096)
            throw StoreException.Invalid($"label {key}: key and value longer than 4096 characters");
    }

    public IReadOnlyDictionary<string, string> Load(MetadataTransaction tx, object owner)
    {
        using var command = Owner(tx.Command($"SELECT key, value FROM {table} WHERE {ownerColumn} = $owner"), owner);
        using var reader = command.ExecuteReader();
        Dictionary<string, string>? labels = null;
        while (reader.Read())
            (labels ??= new(StringComparer.Ordinal))[reader.GetString(0)] = reader.GetString(1);
        return labels ?? Empty;
    }

    /// <summary>The labels of every owner of the table at once (for listings), by owner.</summary>
    public Dictionary<T, Dictionary<string, string>> LoadAll<T>(MetadataTransaction tx, Func<Microsoft.Data.Sqlite.SqliteDataReader, T> owner)
        where T : notnull
    {
        using var command = tx.Command($"SELECT {ownerColumn}, key, value FROM {table}");
        using var reader = command.ExecuteReader();
        var all = new Dictionary<T, Dictionary<string, string>>();
        while (reader.Read())
        {
            var id = owner(reader);
            if (!all.TryGetValue(id, out var labels))
                all[id] = labels = new(StringComparer.Ordinal);
            labels[reader.GetString(1)] = reader.GetString(2);
        }
        return all;
    }

    public void Replace(MetadataTransaction tx, object owner, IReadOnlyDictionary<string, string>? labels)
    {
        Validate(labels);
        using (var delete = Owner(tx.WriteCommand($"DELETE FROM {table} WHERE {ownerColumn} = $owner"), owner))
            delete.ExecuteNonQuery();
        if (labels is null)
            return;
        foreach (var (key, value) in labels)
            Set(tx, owner, key, value);
    }

    /// <summary>Sets one label, or removes it when <paramref name="value"/> is null.</summary>
    public void Set(MetadataTransaction tx, object owner, string key, string? value)
    {
        Validate(key, value);
        using var command = value is null
            ? tx.WriteCommand($"DELETE FROM {table} WHERE {ownerColumn} = $owner AND key = $key")
            : tx.WriteCommand($"INSERT INTO {table} ({ownerColumn}, key, value) VALUES ($owner, $key, $value) ON CONFLICT ({ownerColumn}, key) DO UPDATE SET value = excluded.value");
        Owner(command, owner).With("$key", key);
        if (value is not null)
            command.With("$value", value);
        command.ExecuteNonQuery();
    }

    public void Delete(MetadataTransaction tx, object owner)
    {
        using var command = Owner(tx.WriteCommand($"DELETE FROM {table} WHERE {ownerColumn} = $owner"), owner);
        command.ExecuteNonQuery();
    }

    static Microsoft.Data.Sqlite.SqliteCommand Owner(Microsoft.Data.Sqlite.SqliteCommand command, object owner)
        => owner is long id ? command.With("$owner", id) : command.With("$owner", (string)owner);
}
