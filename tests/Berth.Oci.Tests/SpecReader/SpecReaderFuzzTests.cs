using System.Text;
using Berth.Oci.Runtime;
using static Berth.Oci.Tests.SpecReader.Differential;

namespace Berth.Oci.Tests.SpecReader;

/// <summary>
/// Random edits of valid documents, a few at a time, with a fixed seed so that a failure reproduces: drop, repeat,
/// rename or retype properties, replace values, cut or corrupt bytes. Both readers must agree on every result.
/// </summary>
public sealed class SpecReaderFuzzTests
{
    private const int Iterations = 1000;

    [Theory]
    [InlineData("full-config", 1)]
    [InlineData("maximal", 2)]
    [InlineData("runc-spec", 3)]
    public void Random_edits_of_a_config(string name, int seed)
    {
        byte[] original = Documents.Named(name);
        Random random = new(seed);
        for (int i = 0; i < Iterations; i++)
        {
            AssertSame<RuntimeSpec>(Mutate(original, random));
        }
    }

    [Fact]
    public void Random_edits_of_process_and_resources_documents()
    {
        RuntimeSpec spec = Documents.Maximal<RuntimeSpec>();
        byte[] process = OciJson.WriteCompact(spec.Process!);
        byte[] resources = OciJson.WriteCompact(spec.Linux!.Resources!);
        Random random = new(4);
        for (int i = 0; i < Iterations / 3; i++)
        {
            AssertSame<Process>(Mutate(process, random));
            AssertSame<LinuxResources>(Mutate(resources, random));
        }
    }

    private static byte[] Mutate(byte[] json, Random random)
    {
        int edits = random.Next(1, 4);
        for (int i = 0; i < edits; i++)
        {
            json = MutateOnce(json, random);
        }
        return json;
    }

    private static byte[] MutateOnce(byte[] json, Random random)
    {
        // Structural edits need a document that still parses; after a corrupting edit only byte edits apply.
        List<JsonEdits.Property> properties;
        List<JsonEdits.Span> values;
        try
        {
            properties = JsonEdits.Properties(json);
            values = JsonEdits.Values(json);
        }
        catch (System.Text.Json.JsonException)
        {
            return CorruptBytes(json, random);
        }
        if (properties.Count == 0)
        {
            return CorruptBytes(json, random);
        }

        JsonEdits.Property property = properties[random.Next(properties.Count)];
        JsonEdits.Span value = values[random.Next(values.Count)];
        string key = JsonEdits.Text(json, property.Name);
        switch (random.Next(9))
        {
            case 0:
                return JsonEdits.Remove(json, property);
            case 1:
                return JsonEdits.Replace(json, value, Pick(SpecReaderValueTests.Tokens, random));
            case 2:
                // A value moved to another place: right kind, wrong place, or the other way round.
                return JsonEdits.Replace(json, value, JsonEdits.Text(json, values[random.Next(values.Count)]));
            case 3:
                return JsonEdits.Insert(json, property.Value.End, $",{key}:{Pick(SpecReaderValueTests.Tokens, random)}");
            case 4:
                return JsonEdits.Replace(json, property.Name, JsonEdits.Quote(ChangeCase(JsonEdits.Name(json, property), random)));
            case 5:
                return JsonEdits.Replace(json, value, $"[{JsonEdits.Text(json, value)}]");
            case 6:
                return JsonEdits.Insert(json, property.Name.Start, $"\"x{random.Next(100)}\":{JsonEdits.Text(json, value)},");
            case 7:
                return json[..random.Next(json.Length)];
            default:
                return CorruptBytes(json, random);
        }
    }

    private static byte[] CorruptBytes(byte[] json, Random random)
    {
        if (json.Length == 0)
        {
            return "{"u8.ToArray();
        }
        byte[] bytes = [.. json];
        byte[] pool = [.. "{}[]\",:-.0123456789eE \\ntrufalsx"u8, 0x00, 0x80, 0xC3, 0xFF];
        int position = random.Next(bytes.Length);
        return random.Next(3) switch
        {
            0 => [.. bytes[..position], .. bytes[(position + 1)..]],
            1 => [.. bytes[..position], pool[random.Next(pool.Length)], .. bytes[position..]],
            _ => SetByte(bytes, position, pool[random.Next(pool.Length)]),
        };
    }

    private static byte[] SetByte(byte[] bytes, int position, byte value)
    {
        bytes[position] = value;
        return bytes;
    }

    private static string ChangeCase(string name, Random random)
    {
        StringBuilder changed = new(name.Length);
        foreach (char c in name)
        {
            changed.Append(random.Next(2) == 0 ? char.ToUpperInvariant(c) : char.ToLowerInvariant(c));
        }
        return changed.ToString();
    }

    private static string Pick(string[] pool, Random random) => pool[random.Next(pool.Length)];
}
