using System.Text.Json.Serialization;
using static System.Text.Json.Serialization.JsonIgnoreCondition;

namespace Berth.Engine.Model;

/// <summary>
/// One event of <c>GET /events</c>. <see cref="Status"/>, <see cref="Id"/> and <see cref="From"/> are the pre-1.22
/// fields that Docker still writes for container and image events up to API 1.51 (<c>from</c> for containers only);
/// they are gone in 1.52.
/// </summary>
public sealed class EventMessage
{
    /// <summary>Same as <see cref="Action"/>.</summary>
    [JsonPropertyName("status")]
    [JsonIgnore(Condition = WhenWritingDefault)]
    public string? Status { get; set; }

    /// <summary>Same as <see cref="EventActor.ID"/>.</summary>
    [JsonPropertyName("id")]
    [JsonIgnore(Condition = WhenWritingDefault)]
    public string? Id { get; set; }

    /// <summary>The container's image (its <c>image</c> attribute).</summary>
    [JsonPropertyName("from")]
    [JsonIgnore(Condition = WhenWritingDefault)]
    public string? From { get; set; }

    /// <summary><c>container</c>, <c>image</c>, <c>network</c>, <c>volume</c>, <c>daemon</c>, ...</summary>
    public string Type { get; set; } = "";

    public string Action { get; set; } = "";

    public EventActor Actor { get; set; } = new();

    /// <summary><c>local</c> or <c>swarm</c>.</summary>
    [JsonPropertyName("scope")]
    [JsonIgnore(Condition = WhenWritingDefault)]
    public string? Scope { get; set; }

    /// <summary>Unix seconds.</summary>
    [JsonPropertyName("time")]
    [JsonIgnore(Condition = WhenWritingDefault)]
    public long Time { get; set; }

    /// <summary>Unix nanoseconds.</summary>
    [JsonPropertyName("timeNano")]
    [JsonIgnore(Condition = WhenWritingDefault)]
    public long TimeNano { get; set; }
}

/// <summary>What an event is about: its ID and attributes (for containers their labels, <c>image</c>, <c>name</c>, ...).</summary>
public sealed class EventActor
{
    public string ID { get; set; } = "";

    public Dictionary<string, string>? Attributes { get; set; }
}
