namespace Berth.Linux.Cgroups;

/// <summary>
/// The state of a cgroup v1 device controller as the kernel keeps it: a default (allow every
/// device, or deny every device) and exceptions per (type, major, minor), each with its accesses.
/// Rules are applied with the kernel's semantics, as runc's device emulator does: a type-"a"
/// rule resets the default and drops every exception; a rule of the default's kind removes
/// accesses from an exception of exactly the same device; the other kind adds them.
/// </summary>
public sealed class DeviceListV1
{
    readonly SortedDictionary<(DeviceType Type, long Major, long Minor), DeviceAccess> _exceptions = [];

    /// <summary>A cgroup that denies every device until rules allow some (what a container starts from).</summary>
    public DeviceListV1()
    {
    }

    public bool DefaultAllow { get; private set; }

    /// <summary>The exceptions, as rules of the opposite kind of the default, in a stable order.</summary>
    public IReadOnlyList<DeviceRule> Exceptions
        => _exceptions.Select(e => new DeviceRule(e.Key.Type, e.Key.Major, e.Key.Minor, e.Value, !DefaultAllow)).ToList();

    /// <summary>
    /// What devices.list shows. A default-allow cgroup lists only "a *:* rwm" (its deny exceptions
    /// are not shown), so the exceptions of such a state are unknown and taken as none.
    /// </summary>
    public static DeviceListV1 Parse(string devicesList)
    {
        var state = new DeviceListV1();
        foreach (var line in devicesList.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var rule = DeviceRule.ParseListLine(line);
            if (rule.IsAllDevices)
            {
                state._exceptions.Clear();
                state.DefaultAllow = true;
                continue;
            }
            var key = (rule.Type, rule.Major, rule.Minor);
            state._exceptions[key] = state._exceptions.GetValueOrDefault(key) | rule.Access;
        }
        return state;
    }

    /// <summary>Applies one rule; false with the reason when cgroup v1 cannot express it.</summary>
    public bool TryApply(DeviceRule rule, out string? error)
    {
        error = null;
        if (rule.IsAllDevices)
        {
            _exceptions.Clear();
            DefaultAllow = rule.Allow;
            return true;
        }
        var key = (rule.Type, rule.Major, rule.Minor);
        if (rule.Allow != DefaultAllow)
        {
            _exceptions[key] = _exceptions.GetValueOrDefault(key) | rule.Access;
            return true;
        }
        // Removing accesses: the kernel only subtracts from an exception of exactly this device,
        // and silently keeps a wildcard exception that also covers it. Refuse such a hole.
        foreach (var wider in new[] { (rule.Type, DeviceRule.Any, rule.Minor), (rule.Type, rule.Major, DeviceRule.Any), (rule.Type, DeviceRule.Any, DeviceRule.Any) })
        {
            if (wider == key)
                continue;
            if ((_exceptions.GetValueOrDefault(wider) & rule.Access) != 0)
            {
                var w = new DeviceRule(wider.Item1, wider.Item2, wider.Item3, _exceptions[wider], !DefaultAllow);
                error = $"rule \"{rule}\" is not supported by the cgroup v1 device controller: it would punch a hole in the wider rule \"{w}\"";
                return false;
            }
        }
        var left = _exceptions.GetValueOrDefault(key) & ~rule.Access;
        if (left == DeviceAccess.None)
            _exceptions.Remove(key);
        else
            _exceptions[key] = left;
        return true;
    }

    /// <summary>
    /// The rules to write to a cgroup in state <paramref name="current"/> to bring it to this state,
    /// as runc computes them: if the default differs, or the current state is default-allow (whose
    /// exceptions devices.list does not show), a type-"a" rule first and then every exception;
    /// otherwise only the accesses to take away and then those to add. A running container so never
    /// loses access to a device it keeps.
    /// </summary>
    public List<DeviceRule> TransitionFrom(DeviceListV1 current)
    {
        var rules = new List<DeviceRule>();
        var old = current._exceptions;
        if (current.DefaultAllow || current.DefaultAllow != DefaultAllow)
        {
            rules.Add(new DeviceRule(DeviceType.All, DeviceRule.Any, DeviceRule.Any, DeviceAccess.All, DefaultAllow));
            old = [];
        }
        foreach (var (key, access) in old)
        {
            var dropped = access & ~_exceptions.GetValueOrDefault(key);
            if (dropped != DeviceAccess.None)
                rules.Add(new DeviceRule(key.Type, key.Major, key.Minor, dropped, DefaultAllow));
        }
        foreach (var (key, access) in _exceptions)
        {
            var gained = access & ~old.GetValueOrDefault(key);
            if (gained != DeviceAccess.None)
                rules.Add(new DeviceRule(key.Type, key.Major, key.Minor, gained, !DefaultAllow));
        }
        return rules;
    }

    /// <summary>Whether the cgroup shows this state: the same default, and for default-deny the same exceptions.</summary>
    public bool Matches(DeviceListV1 shown)
        => shown.DefaultAllow == DefaultAllow
           && (DefaultAllow || _exceptions.Count == shown._exceptions.Count && _exceptions.All(e => shown._exceptions.GetValueOrDefault(e.Key) == e.Value));
}

/// <summary>Writing a device policy into a cgroup v1 devices directory.</summary>
public static class DevicesV1
{
    public static DeviceListV1 Read(string dir) => DeviceListV1.Parse(CgroupFiles.Read(dir, "devices.list"));

    /// <summary>
    /// Brings the cgroup to <paramref name="target"/> with the fewest writes (see
    /// <see cref="DeviceListV1.TransitionFrom"/>) and checks that devices.list then shows it.
    /// </summary>
    public static void Apply(string dir, DeviceListV1 target)
    {
        foreach (var rule in target.TransitionFrom(Read(dir)))
            CgroupFiles.Write(dir, rule.Allow ? "devices.allow" : "devices.deny", rule.CgroupString);
        var shown = Read(dir);
        if (!target.Matches(shown))
            throw new InvalidOperationException($"{Path.Join(dir, "devices.list")} does not show the device rules written to it");
    }
}
