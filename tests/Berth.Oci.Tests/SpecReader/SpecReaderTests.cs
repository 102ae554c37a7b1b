using Berth.Oci.Runtime;
using static Berth.Oci.Tests.SpecReader.Differential;

namespace Berth.Oci.Tests.SpecReader;

/// <summary>
/// RuntimeSpecReader against the serializer on valid documents and on systematic variants of them: every property
/// renamed, repeated and dropped, unknown properties everywhere, escapes, invalid UTF-8, byte order marks. Variants
/// the serializer refuses are compared too: the reader must refuse the same ones.
/// </summary>
public sealed class SpecReaderTests
{
    [Theory]
    [MemberData(nameof(Documents.Names), MemberType = typeof(Documents))]
    public void Base_documents_read_the_same(string name)
    {
        AssertSame<RuntimeSpec>(Documents.Named(name));
    }

    [Fact]
    public void Every_property_of_every_type_is_read()
    {
        byte[] json = Documents.MaximalConfig;

        Assert.Equal(Documents.Text(json), Compact(OciJson.ReadSpec(json)));
    }

    [Fact]
    public void Process_and_resources_read_alone_as_for_exec_and_update()
    {
        RuntimeSpec maximal = Documents.Maximal<RuntimeSpec>();
        RuntimeSpec full = OciJson.ReadSpec(Documents.FullConfig);

        foreach (Process process in new[] { maximal.Process!, full.Process!, new Process() })
        {
            byte[] json = OciJson.WriteCompact(process);
            Assert.Equal(Documents.Text(json), Compact(OciJson.Read<Process>(json, "process.json")));
        }
        foreach (LinuxResources resources in new[] { maximal.Linux!.Resources!, full.Linux!.Resources!, new LinuxResources() })
        {
            byte[] json = OciJson.WriteCompact(resources);
            Assert.Equal(Documents.Text(json), Compact(OciJson.Read<LinuxResources>(json, "resources")));
        }
    }

    [Theory]
    [MemberData(nameof(Documents.Names), MemberType = typeof(Documents))]
    public void Every_property_named_in_another_case_or_escaped(string name)
    {
        byte[] json = Documents.Named(name);
        foreach (JsonEdits.Property property in JsonEdits.Properties(json))
        {
            string key = JsonEdits.Name(json, property);
            foreach (string variant in NameVariants(key))
            {
                AssertSame<RuntimeSpec>(JsonEdits.Replace(json, property.Name, variant));
            }
        }
    }

    [Theory]
    [MemberData(nameof(Documents.Names), MemberType = typeof(Documents))]
    public void Every_property_repeated_the_last_one_wins(string name)
    {
        byte[] json = Documents.Named(name);
        foreach (JsonEdits.Property property in JsonEdits.Properties(json))
        {
            string key = JsonEdits.Text(json, property.Name);
            string value = JsonEdits.Text(json, property.Value);
            // A different value after the original, then before it; and the original value in another case after it.
            AssertSame<RuntimeSpec>(JsonEdits.Insert(json, property.Value.End, $",{key}:null"));
            AssertSame<RuntimeSpec>(JsonEdits.Insert(json, property.Value.End, $",{key}:{value}"));
            AssertSame<RuntimeSpec>(JsonEdits.Insert(json, property.Name.Start, $"{key}:{{}},"));
            AssertSame<RuntimeSpec>(JsonEdits.Insert(json, property.Name.Start, $"{key}:[],"));
            AssertSame<RuntimeSpec>(JsonEdits.Insert(json, property.Value.End, $",{key.ToUpperInvariant()}:{value}"));
        }
    }

    [Theory]
    [MemberData(nameof(Documents.Names), MemberType = typeof(Documents))]
    public void Every_property_left_out(string name)
    {
        byte[] json = Documents.Named(name);
        foreach (JsonEdits.Property property in JsonEdits.Properties(json))
        {
            AssertSame<RuntimeSpec>(JsonEdits.Remove(json, property));
        }
    }

    [Theory]
    [MemberData(nameof(Documents.Names), MemberType = typeof(Documents))]
    public void Unknown_properties_in_every_object_are_skipped(string name)
    {
        string[] unknown =
        [
            "null", "\"x\"", "-12.5e-3", "true", "[]", "{}", "[1,[2,[3,{\"a\":[{}]}]],\"\\u0000\"]",
            "{\"process\":{\"user\":{\"uid\":\"root\"}},\"x\":[null,{\"y\":{}}]}",
        ];
        byte[] json = Documents.Named(name);
        foreach (int objectStart in JsonEdits.ObjectStarts(json))
        {
            foreach (string value in unknown)
            {
                AssertSame<RuntimeSpec>(JsonEdits.InsertProperty(json, objectStart, "vendor.thing", value));
            }
            AssertSame<RuntimeSpec>(JsonEdits.InsertProperty(json, objectStart, "", "1"));
            AssertSame<RuntimeSpec>(JsonEdits.InsertProperty(json, objectStart, "windows", "{\"layerFolders\":[\"c:\\\\x\"]}"));
        }
    }

    [Fact]
    public void Escapes_and_unicode_in_names_keys_and_values()
    {
        string[] documents =
        [
            """{"ociVersion":"\u0031.\u0032\/0","hostname":"\ud83d\ude00 \u00e9 \t\b\f\r\n\\\"","process":{"cwd":"/","args":["a\u0000b"]}}""",
            """{"\u006fciVersion":"1","pro\u0063ess":{"\u0075ser":{"UID":5}},"annotations":{"\u0061.b":"\u2028","":"empty","a.b":"dup"}}""",
            """{"annotations":{"k\ud800":"lone surrogate in a key"}}""",
            """{"annotations":{"k":"lone surrogate \udc00 in a value"}}""",
            """{"hostname":"\ud800"}""",
            """{"hostname\ud800":"lone high surrogate in a name"}""",
            """{"x\udc00":"lone low surrogate in an unknown name"}""",
            """{"x\ud800\u0041":"high surrogate without its low one"}""",
            """{"hostname":"\ud83d\ud83d"}""",
            """{"hostname":"é","linux":{"sysctl":{"ñ":"ü"},"netDevices":{"eth0":{"name":"\u00e9"}}}}""",
            """{"HOSTNAME":"a","hostname":"b","HostName":"c"}""",
            """{"\u0068ostname":"a","hostnam\u0065":"b"}""",
            """{"hoſtname":"long s","ıd":"dotless i","\u212Aelvin":"sign","linux":{"\u212Aeys":{}}}""",
        ];
        foreach (string json in documents)
        {
            AssertSame<RuntimeSpec>(json);
        }
    }

    [Fact]
    public void Invalid_utf8_in_names_keys_and_values()
    {
        byte[][] documents =
        [
            [.. """{"hostname":"a"""u8, 0xFF, .. "\"}"u8],
            [.. """{"host"""u8, 0xC3, .. "\":1}"u8],
            [.. """{"vendor":"a"""u8, 0xFF, .. "\"}"u8],
            [.. """{"vendor"""u8, 0xFF, .. "\":1}"u8],
            [.. """{"\u0041"""u8, 0xFF, .. "\":1}"u8],
            [.. """{"\ud800"""u8, 0xFF, .. "\":1}"u8],
            [.. """{"cwd"""u8, 0xFF, .. "\":1}"u8],
            [.. """{"annotations":{"a"""u8, 0xC0, 0x80, .. "\":\"b\"}}"u8],
            [.. """{"annotations":{"a":"b"""u8, 0xED, 0xA0, 0x80, .. "\"}}"u8],
            [.. """{"process":{"env":["A="""u8, 0xF8, 0x88, 0x80, 0x80, 0x80, .. "\"]}}"u8],
            [.. """{"hostname":"ok"}"""u8, 0xFF],
            [0xFF, .. """{}"""u8],
        ];
        foreach (byte[] json in documents)
        {
            AssertSame<RuntimeSpec>(json);
        }
    }

    [Fact]
    public void Byte_order_marks_and_whitespace()
    {
        byte[] bom = [0xEF, 0xBB, 0xBF];
        byte[][] documents =
        [
            [.. bom, .. """{"ociVersion":"1.0.0"}"""u8],
            [.. bom, .. bom, .. """{"ociVersion":"1.0.0"}"""u8],
            [.. bom, .. " \t\r\n{}\n\n "u8],
            [.. " "u8, .. bom, .. "{}"u8],
            [.. bom],
            [.. bom, .. Documents.FullConfig],
            [0xEF, 0xBB, .. "{}"u8],
            [.. "{}"u8, .. bom],
        ];
        foreach (byte[] json in documents)
        {
            AssertSame<RuntimeSpec>(json);
            AssertSame<Process>(json);
            AssertSame<LinuxResources>(json);
        }
    }

    [Fact]
    public void Repeated_objects_replace_and_do_not_merge()
    {
        string[] documents =
        [
            """{"process":{"cwd":"/a","user":{"uid":1}},"process":{"args":["x"]}}""",
            """{"process":{"user":{"uid":1}},"PROCESS":{"user":{"gid":2}}}""",
            """{"linux":{"sysctl":{"a":"1"},"sysctl":{"b":"2"}}}""",
            """{"linux":{"sysctl":{"a":"1","a":"2","A":"3"}}}""",
            """{"mounts":[{"destination":"/a"}],"mounts":[]}""",
            """{"process":{"user":{"additionalGids":[1]},"user":{"additionalGids":null}}}""",
            """{"process":null,"process":{"cwd":"/"}}""",
            """{"process":{"cwd":"/"},"process":null}""",
            """{"linux":{"resources":{"rdma":{"x":{"hcaHandles":1},"x":{"hcaObjects":2}}}}}""",
        ];
        foreach (string json in documents)
        {
            AssertSame<RuntimeSpec>(json);
        }
    }

    [Fact]
    public void Null_list_elements_and_empty_documents()
    {
        string[] documents =
        [
            "{}",
            """{"process":{}}""",
            """{"process":{"args":[null,"a"],"rlimits":[null],"user":{"additionalGids":[null]}}}""",
            """{"mounts":[null,{"destination":"/"}],"linux":{"namespaces":[null],"seccomp":{"syscalls":[{"names":[null]}]}}}""",
            """{"linux":{"seccomp":{"syscalls":[{"names":null}]}}}""",
            """{"linux":{"timeOffsets":{"monotonic":null}}}""",
            """{"linux":{"netDevices":{"eth0":{}},"timeOffsets":{}}}""",
            """{"hooks":{"prestart":[{"path":"/bin/true","timeout":null}],"poststop":null}}""",
            """{"process":{"user":null}}""",
            """{"process":{"consoleSize":null,"capabilities":{"bounding":null}}}""",
        ];
        foreach (string json in documents)
        {
            AssertSame<RuntimeSpec>(json);
        }
    }

    // The name in another case, with every character escaped, and with letters the serializer's case-insensitive
    // comparer does not fold (long s, dotless i, Kelvin sign): those must stay unknown.
    private static IEnumerable<string> NameVariants(string name)
    {
        yield return JsonEdits.Quote(name.ToUpperInvariant());
        yield return JsonEdits.Quote(name.ToLowerInvariant());
        yield return JsonEdits.Quote(name.Length > 0 ? char.ToUpperInvariant(name[0]) + name[1..] : "X");
        yield return "\"" + string.Concat(name.Select(c => $"\\u{(int)c:x4}")) + "\"";
        yield return JsonEdits.Quote(name.Replace('s', 'ſ').Replace('i', 'ı').Replace('k', '\u212A'));
        yield return JsonEdits.Quote(name + " ");
        yield return JsonEdits.Quote("x" + name);
    }
}
