namespace Berth.Cli.Client;

/// <summary>Typed reads through the Docker API model's serializer context.</summary>
internal static class DaemonClientTyped
{
    public static async Task<T> GetAsync<T>(this DaemonClient client, string path, Query? query, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> info, CancellationToken ct = default)
    {
        byte[] bytes = await client.GetBytesAsync(path, query, ct).ConfigureAwait(false);
        return Decode(bytes, info);
    }

    /// <summary>A list answer; null (Go's nil slice, "no changes") reads as empty.</summary>
    public static async Task<List<T>> GetListAsync<T>(this DaemonClient client, string path, Query? query, System.Text.Json.Serialization.Metadata.JsonTypeInfo<List<T>> info, CancellationToken ct = default)
    {
        byte[] bytes = await client.GetBytesAsync(path, query, ct).ConfigureAwait(false);
        return Decode(bytes, info, () => []);
    }

    public static async Task<T> PostAsync<T>(this DaemonClient client, string path, Query? query, RequestBody? body, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> info, CancellationToken ct = default)
    {
        using var response = await client.SendAsync("POST", path, query, body, ct: ct).ConfigureAwait(false);
        return Decode(await response.ReadBytesAsync(ct).ConfigureAwait(false), info);
    }

    /// <summary>The answer decoded; a JSON null (Go's nil slice) is <paramref name="whenNull"/>'s value, or an error without one.</summary>
    public static T Decode<T>(byte[] bytes, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> info, Func<T>? whenNull = null)
    {
        try
        {
            var value = Berth.Engine.Model.DockerJson.Deserialize(bytes, info);
            if (value is not null)
                return value;
            return whenNull is not null ? whenNull() : throw new CliException("the daemon answered null");
        }
        catch (Berth.Engine.Model.DockerJsonException e)
        {
            throw new CliException($"error reading the daemon's answer: {e.Message}");
        }
    }

    /// <summary>A JSON request body in Go's encoding (omitempty honoured), as docker's client sends it.</summary>
    public static RequestBody Json<T>(T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> info) =>
        RequestBody.Json(Berth.Engine.Model.DockerJson.Serialize(value, info));
}
