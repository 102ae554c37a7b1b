using System.Buffers;
using System.Text.Json;
using static Berth.Runtime.JsonFields;

namespace Berth.Runtime.Init;

/// <summary>
/// The init config frame, written and read by hand (Utf8JsonWriter/Utf8JsonReader): the init process
/// is short-lived and cold, and serializer metadata would cost it milliseconds. The spec itself
/// travels as its own frame of raw config.json bytes.
/// </summary>
internal static class InitConfigJson
{
    const string Document = "init config";

    public static byte[] Write(InitConfig c)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteBoolean("isExec", c.IsExec);
            w.WriteString("containerId", c.ContainerId);
            w.WriteNumber("hostPid", c.HostPid);
            w.WriteString("bundle", c.Bundle);
            w.WriteString("rootfs", c.Rootfs);
            w.WriteBoolean("noPivot", c.NoPivot);
            w.WriteBoolean("noNewKeyring", c.NoNewKeyring);
            w.WriteNumber("consoleSocketFd", c.ConsoleSocketFd);
            w.WriteNumber("execFifoFd", c.ExecFifoFd);
            w.WriteNumber("preserveFds", c.PreserveFds);
            w.WriteBoolean("newMountNamespace", c.NewMountNamespace);
            w.WriteBoolean("newNetworkNamespace", c.NewNetworkNamespace);
            w.WriteBoolean("newUtsNamespace", c.NewUtsNamespace);
            w.WriteBoolean("newUserNamespace", c.NewUserNamespace);
            w.WriteBoolean("newCgroupNamespace", c.NewCgroupNamespace);
            w.WriteBoolean("inUserNamespace", c.InUserNamespace);
            w.WriteBoolean("hasCreateRuntimeHooks", c.HasCreateRuntimeHooks);
            w.WriteBoolean("processFollows", c.ProcessJson is not null);
            w.WriteBoolean("seccompProgramFollows", c.SeccompProgram is not null);
            w.WriteStartArray("cgroupMounts");
            foreach (var m in c.CgroupMounts)
            {
                w.WriteStartObject();
                w.WriteString("name", m.Name);
                w.WriteString("hostPath", m.HostPath);
                WriteStrings(w, "aliases", m.Aliases);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    public static InitConfig Read(ReadOnlySpan<byte> json)
    {
        var r = new Utf8JsonReader(json);
        var c = new InitConfig();
        Expect(ref r, JsonTokenType.StartObject, Document);
        while (Next(ref r, Document))
        {
            if (r.ValueTextEquals("isExec")) c.IsExec = Bool(ref r);
            else if (r.ValueTextEquals("containerId")) c.ContainerId = String(ref r);
            else if (r.ValueTextEquals("hostPid")) c.HostPid = Int(ref r);
            else if (r.ValueTextEquals("bundle")) c.Bundle = String(ref r);
            else if (r.ValueTextEquals("rootfs")) c.Rootfs = String(ref r);
            else if (r.ValueTextEquals("noPivot")) c.NoPivot = Bool(ref r);
            else if (r.ValueTextEquals("noNewKeyring")) c.NoNewKeyring = Bool(ref r);
            else if (r.ValueTextEquals("consoleSocketFd")) c.ConsoleSocketFd = Int(ref r);
            else if (r.ValueTextEquals("execFifoFd")) c.ExecFifoFd = Int(ref r);
            else if (r.ValueTextEquals("preserveFds")) c.PreserveFds = Int(ref r);
            else if (r.ValueTextEquals("newMountNamespace")) c.NewMountNamespace = Bool(ref r);
            else if (r.ValueTextEquals("newNetworkNamespace")) c.NewNetworkNamespace = Bool(ref r);
            else if (r.ValueTextEquals("newUtsNamespace")) c.NewUtsNamespace = Bool(ref r);
            else if (r.ValueTextEquals("newUserNamespace")) c.NewUserNamespace = Bool(ref r);
            else if (r.ValueTextEquals("newCgroupNamespace")) c.NewCgroupNamespace = Bool(ref r);
            else if (r.ValueTextEquals("inUserNamespace")) c.InUserNamespace = Bool(ref r);
            else if (r.ValueTextEquals("hasCreateRuntimeHooks")) c.HasCreateRuntimeHooks = Bool(ref r);
            else if (r.ValueTextEquals("processFollows")) c.ProcessJson = Bool(ref r) ? [] : null;
            else if (r.ValueTextEquals("seccompProgramFollows")) c.SeccompProgram = Bool(ref r) ? new([], 0) : null;
            else if (r.ValueTextEquals("cgroupMounts"))
            {
                Expect(ref r, JsonTokenType.StartArray, Document);
                while (r.Read() && r.TokenType == JsonTokenType.StartObject)
                {
                    var m = new CgroupMountSource();
                    while (Next(ref r, Document))
                    {
                        if (r.ValueTextEquals("name")) m.Name = String(ref r);
                        else if (r.ValueTextEquals("hostPath")) m.HostPath = String(ref r);
                        else if (r.ValueTextEquals("aliases")) m.Aliases = StringList(ref r, Document);
                        else Skip(ref r);
                    }
                    c.CgroupMounts.Add(m);
                }
            }
            else Skip(ref r);
        }
        return c;
    }
}
