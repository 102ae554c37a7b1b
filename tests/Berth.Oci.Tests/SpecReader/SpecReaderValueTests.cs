using Berth.Oci.Runtime;
using static Berth.Oci.Tests.SpecReader.Differential;

namespace Berth.Oci.Tests.SpecReader;

/// <summary>
/// RuntimeSpecReader against the serializer with every value of a document replaced by null, by a value of every
/// JSON kind and by the edges of every number type: wrong types and overflows everywhere, and the same refusals.
/// </summary>
public sealed class SpecReaderValueTests
{
    // Values of every JSON kind and of the edges of every number type the spec uses.
    internal static readonly string[] Tokens =
    [
        "null", "\"\"", "\"root\"", "\"a\\u00e9\\n\"", "true", "false", "[]", "{}", "[null]", "[\"x\",null]", "[1,2]",
        "{\"a\":\"b\"}", "{\"a\":null}", "0", "-0", "1", "-1", "1.5", "1.0", "1e2", "-1E-2", "65535", "65536",
        "2147483647", "2147483648", "-2147483649", "4294967295", "4294967296", "9223372036854775807",
        "9223372036854775808", "-9223372036854775809", "18446744073709551615", "18446744073709551616", "1e400",
    ];

    [Theory]
    [MemberData(nameof(Documents.Names), MemberType = typeof(Documents))]
    public void Null_in_place_of_every_value(string name)
    {
        byte[] json = Documents.Named(name);
        foreach (JsonEdits.Span value in JsonEdits.Values(json))
        {
            AssertSame<RuntimeSpec>(JsonEdits.Replace(json, value, "null"));
        }
    }

    [Fact]
    public void Every_kind_of_value_in_place_of_every_value()
    {
        // The full config has every property once; the maximal one repeats them in lists and maps.
        byte[] json = Documents.FullConfig;
        foreach (JsonEdits.Span value in JsonEdits.Values(json))
        {
            foreach (string token in Tokens)
            {
                AssertSame<RuntimeSpec>(JsonEdits.Replace(json, value, token));
            }
        }
    }

    [Theory]
    [InlineData("maximal")]
    [InlineData("full-config")]
    public void Every_kind_of_value_in_process_and_resources_documents(string name)
    {
        RuntimeSpec spec = OciJson.ReadSpec(Documents.Named(name));
        byte[] process = OciJson.WriteCompact(spec.Process!);
        byte[] resources = OciJson.WriteCompact(spec.Linux!.Resources!);
        foreach (string token in Tokens)
        {
            foreach (JsonEdits.Span value in JsonEdits.Values(process))
            {
                AssertSame<Process>(JsonEdits.Replace(process, value, token));
            }
            foreach (JsonEdits.Span value in JsonEdits.Values(resources))
            {
                AssertSame<LinuxResources>(JsonEdits.Replace(resources, value, token));
            }
        }
    }

}
