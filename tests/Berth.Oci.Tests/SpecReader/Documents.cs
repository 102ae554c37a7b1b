using System.Collections;
using System.Reflection;
using System.Text;
using System.Text.Json.Serialization;
using Berth.Oci.Runtime;

namespace Berth.Oci.Tests.SpecReader;

/// <summary>Valid documents the differential tests start from.</summary>
internal static class Documents
{
    public static byte[] FullConfig => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", "full-config.json"));

    /// <summary>Every property of every type reachable from <see cref="RuntimeSpec"/> set, to values far from the default.</summary>
    public static byte[] MaximalConfig => OciJson.WriteCompact(Maximal<RuntimeSpec>());

    public static byte[] RuncSpec(bool rootless)
    {
        using TempDir dir = new();
        Runc.Run(dir.Path, rootless ? ["spec", "--rootless"] : ["spec"]);
        return File.ReadAllBytes(dir["config.json"]);
    }

    /// <summary>The named base documents of the corpus tests.</summary>
    public static byte[] Named(string name) => name switch
    {
        "full-config" => FullConfig,
        "maximal" => MaximalConfig,
        "runc-spec" => RuncSpec(rootless: false),
        "runc-spec-rootless" => RuncSpec(rootless: true),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    public static TheoryData<string> Names => ["full-config", "maximal", "runc-spec", "runc-spec-rootless"];

    /// <summary>
    /// An instance of any OCI document type with every JSON property set: lists of two, maps of two (one key with a dot, for the JSON path),
    /// the extreme value of each number type, true, and strings that need escaping. Found by reflection, so a
    /// property added to the types is covered without touching this test.
    /// </summary>
    public static T Maximal<T>() => (T)Fill(typeof(T), typeof(T).Name);

    private static object Fill(Type type, string name)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string))
        {
            return $"{name}\"é<\u2028\U0001F600";
        }
        if (type == typeof(bool))
        {
            return true;
        }
        if (type == typeof(ushort))
        {
            return ushort.MaxValue;
        }
        if (type == typeof(int))
        {
            return int.MinValue;
        }
        if (type == typeof(uint))
        {
            return uint.MaxValue;
        }
        if (type == typeof(long))
        {
            return long.MinValue;
        }
        if (type == typeof(ulong))
        {
            return ulong.MaxValue;
        }
        if (type == typeof(DateTimeOffset))
        {
            return new DateTimeOffset(9999, 12, 31, 23, 59, 59, TimeSpan.FromMinutes(14 * 60 - 1)).AddTicks(9_999_999);
        }
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>))
        {
            IList list = (IList)Activator.CreateInstance(type)!;
            list.Add(Fill(type.GetGenericArguments()[0], name + "0"));
            list.Add(Fill(type.GetGenericArguments()[0], name + "1"));
            return list;
        }
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Dictionary<,>))
        {
            IDictionary map = (IDictionary)Activator.CreateInstance(type)!;
            map["io.berth." + name] = Fill(type.GetGenericArguments()[1], name + "A");
            map[name] = Fill(type.GetGenericArguments()[1], name + "B");
            return map;
        }
        Assert.True(type.IsClass && type.Namespace == typeof(RuntimeSpec).Namespace, $"no value for {type}");
        object value = Activator.CreateInstance(type)!;
        foreach (PropertyInfo property in type.GetProperties())
        {
            string? jsonName = property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name;
            Assert.NotNull(jsonName);
            property.SetValue(value, Fill(property.PropertyType, jsonName));
        }
        return value;
    }

    public static string Text(byte[] json) => Encoding.UTF8.GetString(json);
}
