using System.Text.Json.Serialization;
using Berth.Engine.Containers;

namespace Berth.Engine;

/// <summary>The engine's own persisted documents (source-generated: AOT-clean).</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ContainerRecord))]
[JsonSerializable(typeof(Execs.ExecRecord))]
[JsonSerializable(typeof(Model.Network))]
internal sealed partial class EngineJson : JsonSerializerContext
{
}
