using System.Text.Json;
using System.Text.Json.Serialization;

namespace Berth.Engine.Model;

// Go's encoding/json leaves a number or bool field unchanged when it reads JSON null ("null" means "not present"),
// where System.Text.Json refuses null for a value type. These converters read null as the zero value, which is what
// a freshly decoded Go struct holds; everything else is read and written as by the built-in converters. A nullable
// property (Go's pointer) still reads null as null: System.Text.Json's Nullable<T> handling sees the null first.

internal sealed class GoInt64Converter : JsonConverter<long>
{
    public override bool HandleNull => true;

    public override long Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.Null ? 0 : reader.GetInt64();

    public override void Write(Utf8JsonWriter writer, long value, JsonSerializerOptions options) => writer.WriteNumberValue(value);
}

internal sealed class GoInt32Converter : JsonConverter<int>
{
    public override bool HandleNull => true;

    public override int Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.Null ? 0 : reader.GetInt32();

    public override void Write(Utf8JsonWriter writer, int value, JsonSerializerOptions options) => writer.WriteNumberValue(value);
}

internal sealed class GoUInt64Converter : JsonConverter<ulong>
{
    public override bool HandleNull => true;

    public override ulong Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.Null ? 0 : reader.GetUInt64();

    public override void Write(Utf8JsonWriter writer, ulong value, JsonSerializerOptions options) => writer.WriteNumberValue(value);
}

internal sealed class GoUInt32Converter : JsonConverter<uint>
{
    public override bool HandleNull => true;

    public override uint Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.Null ? 0 : reader.GetUInt32();

    public override void Write(Utf8JsonWriter writer, uint value, JsonSerializerOptions options) => writer.WriteNumberValue(value);
}

internal sealed class GoUInt16Converter : JsonConverter<ushort>
{
    public override bool HandleNull => true;

    public override ushort Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.Null ? (ushort)0 : reader.GetUInt16();

    public override void Write(Utf8JsonWriter writer, ushort value, JsonSerializerOptions options) => writer.WriteNumberValue(value);
}

internal sealed class GoBooleanConverter : JsonConverter<bool>
{
    public override bool HandleNull => true;

    public override bool Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType != JsonTokenType.Null && reader.GetBoolean();

    public override void Write(Utf8JsonWriter writer, bool value, JsonSerializerOptions options) => writer.WriteBooleanValue(value);
}
