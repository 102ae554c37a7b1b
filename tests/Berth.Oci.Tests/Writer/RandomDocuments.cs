using System.Collections;
using System.Reflection;
using System.Text;
using System.Text.Json.Serialization;
using Berth.Oci.Runtime;

namespace Berth.Oci.Tests.Writer;

/// <summary>
/// Random instances of the OCI document types, found by reflection so that a property added to the types is covered
/// without touching this class: any property null (non-nullable ones too, rarely) or at its default, where Go's
/// omitempty matters; numbers at 0, 1, the extremes or random; strings of the characters that escaping is about
/// (controls, quotes, &lt; &gt; &amp;, U+2028, non-ASCII, lone and paired surrogates, U+FFFD); lists and maps of up to
/// three entries with null entries, maps with keys of the same characters (sort order).
/// </summary>
internal sealed class RandomDocuments(int seed)
{
    private static readonly string Alphabet =
        "aZ0 \"\\/<>&'+`\n\r\t\b\f\0\u001f\u007f\u0080\u0085\u00a0é€日\u2028\u2029\ufeff\ufffd\uffff\ud83d\ude00\ud800\udfff";

    private readonly Random _random = new(seed);

    public T Next<T>() where T : class => (T)Value(typeof(T), "$")!;

    /// <summary>An instance with every property at its default, every object present: what omitempty leaves out.</summary>
    public static T Defaults<T>() where T : class => (T)Default(typeof(T));

    private object? Value(Type type, string path)
    {
        Type? underlying = Nullable.GetUnderlyingType(type);
        if ((underlying is not null || !type.IsValueType) && _random.Next(path == "$" ? 20 : 6) == 0)
        {
            return null;
        }
        type = underlying ?? type;
        if (type == typeof(string))
        {
            return String();
        }
        if (type == typeof(bool))
        {
            return _random.Next(2) == 0;
        }
        if (type == typeof(ushort))
        {
            return (ushort)Integer(ushort.MinValue, ushort.MaxValue);
        }
        if (type == typeof(int))
        {
            return (int)Integer(int.MinValue, int.MaxValue);
        }
        if (type == typeof(uint))
        {
            return (uint)Integer(uint.MinValue, uint.MaxValue);
        }
        if (type == typeof(long))
        {
            return (long)Integer(long.MinValue, long.MaxValue);
        }
        if (type == typeof(ulong))
        {
            return (ulong)Integer(ulong.MinValue, ulong.MaxValue);
        }
        if (type == typeof(DateTimeOffset))
        {
            return Time();
        }
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>))
        {
            IList list = (IList)Activator.CreateInstance(type)!;
            for (int i = _random.Next(4); i > 0; i--)
            {
                list.Add(Value(type.GetGenericArguments()[0], path + "[]"));
            }
            return list;
        }
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Dictionary<,>))
        {
            IDictionary map = (IDictionary)Activator.CreateInstance(type)!;
            for (int i = _random.Next(4); i > 0; i--)
            {
                map[String()] = Value(type.GetGenericArguments()[1], path + ".*");
            }
            return map;
        }
        object value = Activator.CreateInstance(type)!;
        foreach (PropertyInfo property in JsonProperties(type))
        {
            property.SetValue(value, Value(property.PropertyType, path + "." + property.Name));
        }
        return value;
    }

    private static object Default(Type type)
    {
        if (Nullable.GetUnderlyingType(type) is { } underlying)
        {
            return Activator.CreateInstance(underlying)!;
        }
        if (type == typeof(string))
        {
            return "";
        }
        if (type.IsValueType)
        {
            return Activator.CreateInstance(type)!;
        }
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>))
        {
            IList list = (IList)Activator.CreateInstance(type)!;
            list.Add(Default(type.GetGenericArguments()[0]));
            return list;
        }
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Dictionary<,>))
        {
            IDictionary map = (IDictionary)Activator.CreateInstance(type)!;
            map[""] = Default(type.GetGenericArguments()[1]);
            return map;
        }
        object value = Activator.CreateInstance(type)!;
        foreach (PropertyInfo property in JsonProperties(type))
        {
            property.SetValue(value, Default(property.PropertyType));
        }
        return value;
    }

    private static IEnumerable<PropertyInfo> JsonProperties(Type type)
    {
        Assert.True(type.IsClass && type.Namespace == typeof(RuntimeSpec).Namespace, $"no value for {type}");
        return type.GetProperties().Where(p => p.GetCustomAttribute<JsonPropertyNameAttribute>() is not null);
    }

    private string String()
    {
        int length = _random.Next(3) == 0 ? 0 : _random.Next(1, 8);
        StringBuilder s = new(length);
        for (int i = 0; i < length; i++)
        {
            s.Append(_random.Next(3) == 0 ? (char)_random.Next(0x20, 0x7F) : Alphabet[_random.Next(Alphabet.Length)]);
        }
        return s.ToString();
    }

    private decimal Integer(decimal min, decimal max) => _random.Next(6) switch
    {
        0 or 1 => 0,
        2 => 1,
        3 => min,
        4 => max,
        _ => min + Math.Floor((max - min) * (decimal)_random.NextDouble()),
    };

    // Whole seconds, milliseconds or 100 ns ticks; UTC or an offset in minutes.
    private DateTimeOffset Time()
    {
        long ticks = DateTime.MinValue.Ticks + TimeSpan.TicksPerDay
            + (long)(_random.NextDouble() * (DateTime.MaxValue.Ticks - DateTime.MinValue.Ticks - 2 * TimeSpan.TicksPerDay));
        ticks -= ticks % (_random.Next(3) switch { 0 => TimeSpan.TicksPerSecond, 1 => TimeSpan.TicksPerMillisecond, _ => 1 });
        TimeSpan offset = _random.Next(3) == 0 ? TimeSpan.Zero : TimeSpan.FromMinutes(_random.Next(-14 * 60 + 1, 14 * 60));
        return new DateTimeOffset(ticks, offset);
    }
}
