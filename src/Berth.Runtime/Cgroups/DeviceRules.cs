using Berth.Linux.Cgroups;
using Berth.Oci.Runtime;

namespace Berth.Runtime.Cgroups;

/// <summary>
/// linux.resources.devices as the device controller's rules. As in runc, the policy always starts
/// from "deny every device", and the devices every container has (null, zero, full, random,
/// urandom, tty, ptmx, pts, tun, and mknod of any node) are allowed after the spec's rules.
/// </summary>
internal static class DeviceRules
{
    static DeviceRule Allow(DeviceType type, long major, long minor, DeviceAccess access) => new(type, major, minor, access, Allow: true);

    /// <summary>runc's AllowedDevices, in its order.</summary>
    public static readonly IReadOnlyList<DeviceRule> AlwaysAllowed =
    [
        Allow(DeviceType.Char, DeviceRule.Any, DeviceRule.Any, DeviceAccess.Mknod),
        Allow(DeviceType.Block, DeviceRule.Any, DeviceRule.Any, DeviceAccess.Mknod),
        Allow(DeviceType.Char, 1, 3, DeviceAccess.All),   // /dev/null
        Allow(DeviceType.Char, 1, 8, DeviceAccess.All),   // /dev/random
        Allow(DeviceType.Char, 1, 7, DeviceAccess.All),   // /dev/full
        Allow(DeviceType.Char, 5, 0, DeviceAccess.All),   // /dev/tty
        Allow(DeviceType.Char, 1, 5, DeviceAccess.All),   // /dev/zero
        Allow(DeviceType.Char, 1, 9, DeviceAccess.All),   // /dev/urandom
        Allow(DeviceType.Char, 136, DeviceRule.Any, DeviceAccess.All), // /dev/pts/*
        Allow(DeviceType.Char, 5, 2, DeviceAccess.All),   // /dev/ptmx
        Allow(DeviceType.Char, 10, 200, DeviceAccess.All), // /dev/net/tun
    ];

    /// <summary>The spec's rules followed by <see cref="AlwaysAllowed"/>.</summary>
    public static List<DeviceRule> Effective(IReadOnlyList<LinuxDeviceCgroup>? spec)
    {
        var rules = new List<DeviceRule>();
        for (int i = 0; i < (spec?.Count ?? 0); i++)
            rules.Add(Convert(spec![i], $"linux.resources.devices[{i}]"));
        rules.AddRange(AlwaysAllowed);
        return rules;
    }

    /// <summary>The state a v1 device cgroup must reach: deny all, then the rules in order.</summary>
    public static DeviceListV1 ForV1(IReadOnlyList<LinuxDeviceCgroup>? spec)
    {
        var state = new DeviceListV1();
        var rules = Effective(spec);
        int specCount = spec?.Count ?? 0;
        for (int i = 0; i < rules.Count; i++)
        {
            if (!state.TryApply(rules[i], out string? error))
                throw CgroupErrors.Invalid(i < specCount ? $"linux.resources.devices[{i}]" : "linux.resources.devices", error!);
        }
        return state;
    }

    /// <summary>One spec rule: type a/b/c (a when unset), major/minor any when unset, access rwm when unset.</summary>
    public static DeviceRule Convert(LinuxDeviceCgroup d, string field)
    {
        var type = d.Type switch
        {
            null or "" or "a" => DeviceType.All,
            "c" => DeviceType.Char,
            "b" => DeviceType.Block,
            _ => throw CgroupErrors.Invalid($"{field}.type", $"\"{d.Type}\" is not a device cgroup type (a, b or c)"),
        };
        long major = Number(d.Major, $"{field}.major");
        long minor = Number(d.Minor, $"{field}.minor");
        var access = DeviceAccess.All;
        if (!string.IsNullOrEmpty(d.Access) && !DeviceRule.TryParseAccess(d.Access, out access))
            throw CgroupErrors.Invalid($"{field}.access", $"\"{d.Access}\" is not a combination of r, w and m");
        return new DeviceRule(type, major, minor, access, d.Allow);
    }

    static long Number(long? value, string field) => value switch
    {
        null or -1 => DeviceRule.Any,
        < 0 or > int.MaxValue => throw CgroupErrors.Invalid(field, $"{value} is not a device number"),
        _ => value.Value,
    };
}
