using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Berth.Runtime.Cgroups;
using static Berth.Runtime.JsonFields;

namespace Berth.Runtime.Containers;

/// <summary>
/// state.json, written and read by hand on Utf8JsonWriter/Utf8JsonReader: every runtime command reads
/// it, and serializer metadata would cost each of those short-lived processes milliseconds.
/// </summary>
internal static class ContainerRecordJson
{
    const string Document = "state.json";

    public static byte[] Write(ContainerRecord r)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("id", r.Id);
            w.WriteString("bundle", r.Bundle);
            w.WriteString("rootfs", r.Rootfs);
            w.WriteNumber("pid", r.Pid);
            w.WriteNumber("pidStartTime", r.PidStartTime);
            w.WriteString("created", r.Created.ToString("O", CultureInfo.InvariantCulture));
            w.WriteNumber("ownerUid", r.OwnerUid);
            w.WriteBoolean("ownPidNamespace", r.OwnPidNamespace);
            w.WriteBoolean("rootless", r.Rootless);
            if (r.Annotations is { } annotations)
                WriteMap(w, "annotations", annotations);
            if (r.Cgroup is { } c)
            {
                w.WriteStartObject("cgroup");
                w.WriteString("path", c.Path);
                w.WriteBoolean("unified", c.Unified);
                WriteMap(w, "paths", c.Paths);
                WriteStrings(w, "created", c.Created);
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    public static ContainerRecord Read(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        var r = new ContainerRecord();
        Expect(ref reader, JsonTokenType.StartObject, Document);
        while (Next(ref reader, Document))
        {
            if (reader.ValueTextEquals("id")) r.Id = String(ref reader);
            else if (reader.ValueTextEquals("bundle")) r.Bundle = String(ref reader);
            else if (reader.ValueTextEquals("rootfs")) r.Rootfs = String(ref reader);
            else if (reader.ValueTextEquals("pid")) r.Pid = Int(ref reader);
            else if (reader.ValueTextEquals("pidStartTime")) r.PidStartTime = ULong(ref reader);
            else if (reader.ValueTextEquals("created")) r.Created = DateTimeOffset.Parse(String(ref reader), CultureInfo.InvariantCulture);
            else if (reader.ValueTextEquals("ownerUid")) r.OwnerUid = UInt(ref reader);
            else if (reader.ValueTextEquals("ownPidNamespace")) r.OwnPidNamespace = Bool(ref reader);
            else if (reader.ValueTextEquals("rootless")) r.Rootless = Bool(ref reader);
            else if (reader.ValueTextEquals("annotations")) r.Annotations = Map(ref reader, Document);
            else if (reader.ValueTextEquals("cgroup")) r.Cgroup = Cgroup(ref reader);
            else Skip(ref reader);
        }
        return r;
    }

    static CgroupRecord Cgroup(ref Utf8JsonReader reader)
    {
        var c = new CgroupRecord();
        Expect(ref reader, JsonTokenType.StartObject, Document);
        while (Next(ref reader, Document))
        {
            if (reader.ValueTextEquals("path")) c.Path = String(ref reader);
            else if (reader.ValueTextEquals("unified")) c.Unified = Bool(ref reader);
            else if (reader.ValueTextEquals("paths")) c.Paths = Map(ref reader, Document);
            else if (reader.ValueTextEquals("created")) c.Created = StringList(ref reader, Document);
            else Skip(ref reader);
        }
        return c;
    }
}
