using System.Text;
using System.Text.Json;
using Berth.Oci.Json;
using Berth.Oci.Runtime;

namespace Berth.Oci.Tests.SpecReader;

/// <summary>
/// Holds <see cref="RuntimeSpecReader"/> against the serializer it stands in for (<see cref="OciJson.ReadWithSerializer{T}"/>):
/// for one document, both read it to the same object graph (compared as Go-compact JSON), or both refuse it, and
/// then <see cref="OciJson.Read{T}"/> words the error exactly as the serializer path did.
/// </summary>
internal static class Differential
{
    public static void AssertSame<T>(string json) where T : class => AssertSame<T>(Encoding.UTF8.GetBytes(json));

    public static void AssertSame<T>(byte[] json) where T : class
    {
        T? expected = null;
        OciFormatException? expectedError = null;
        try
        {
            expected = OciJson.ReadWithSerializer<T>(json, "config.json");
        }
        catch (OciFormatException ex)
        {
            expectedError = ex;
        }

        bool read = TryRead(json, out T? actual);
        if (expected is not null)
        {
            Assert.True(read, $"the reader refuses what the serializer reads:\n{Show(json)}");
            Assert.Equal(Compact(expected), Compact(actual!));
            Assert.Equal(Compact(expected), Compact(OciJson.Read<T>(json, "config.json")));
            return;
        }

        Assert.False(read, $"the reader accepts what the serializer refuses ({expectedError!.Message}):\n{Show(json)}");
        OciFormatException error = Assert.Throws<OciFormatException>(() => OciJson.Read<T>(json, "config.json"));
        Assert.Equal(expectedError.Message, error.Message);
        Assert.Equal(expectedError.JsonPath, error.JsonPath);
        Assert.Equal(expectedError.Line, error.Line);
        Assert.Equal(expectedError.Column, error.Column);
    }

    /// <summary>
    /// The cheaper half of <see cref="AssertSame{T}(byte[])"/>, for sweeps over thousands of variants: the same
    /// graph or both refuse, without comparing the wording. The wording cannot differ: on refusal
    /// <see cref="OciJson.Read{T}"/> words the error with the very serializer path it is compared with here, and
    /// <see cref="AssertSame{T}(byte[])"/> checks that on the error corpus and the random edits.
    /// </summary>
    public static void AssertAgree<T>(byte[] json) where T : class
    {
        T? expected;
        try
        {
            expected = (T?)JsonSerializer.Deserialize(OciJson.WithoutBom(json), OciJsonContext.Default.GetTypeInfo(typeof(T))!);
        }
        catch (JsonException)
        {
            expected = null;
        }

        bool read = TryRead(json, out T? actual);
        if (expected is null)
        {
            Assert.False(read, $"the reader accepts what the serializer refuses:\n{Show(json)}");
            return;
        }
        Assert.True(read, $"the reader refuses what the serializer reads:\n{Show(json)}");
        Assert.Equal(Compact(expected), Compact(actual!));
    }

    /// <summary>The reader alone, without the serializer behind it.</summary>
    public static bool TryRead<T>(byte[] json, out T? value) where T : class
    {
        bool read;
        object? result;
        if (typeof(T) == typeof(RuntimeSpec))
        {
            read = RuntimeSpecReader.TryRead(json, out RuntimeSpec? spec);
            result = spec;
        }
        else if (typeof(T) == typeof(Process))
        {
            read = RuntimeSpecReader.TryRead(json, out Process? process);
            result = process;
        }
        else
        {
            read = RuntimeSpecReader.TryRead(json, out LinuxResources? resources);
            result = resources;
        }
        value = (T?)result;
        return read;
    }

    public static string Compact<T>(T value) => Encoding.UTF8.GetString(OciJson.WriteCompact(value));

    private static string Show(byte[] json)
    {
        string text = Encoding.UTF8.GetString(json);
        return text.Length > 2000 ? text[..2000] + "..." : text;
    }
}
