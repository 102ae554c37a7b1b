using System.Text.Json.Serialization;
using Berth.Runtime.Containers;
using Berth.Runtime.Init;

namespace Berth.Runtime;

/// <summary>Source-generated JSON for the runtime's own documents (init config, state file).</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(InitConfig))]
[JsonSerializable(typeof(ContainerRecord))]
internal sealed partial class RuntimeJsonContext : JsonSerializerContext;
