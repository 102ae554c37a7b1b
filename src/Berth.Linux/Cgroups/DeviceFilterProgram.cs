namespace Berth.Linux.Cgroups;

/// <summary>
/// Emits the eBPF program (BPF_PROG_TYPE_CGROUP_DEVICE) that is cgroup v2's device controller.
///
/// Semantics: every device is denied unless a rule allows it; for each access the kernel asks
/// about (read, write, mknod: one request may carry several), the last rule in the list that
/// matches the device and names that access decides; the request is allowed only if every access
/// in it is. A rule with type "a" and no numbers matches every device.
///
/// The program reads struct bpf_cgroup_dev_ctx { u32 access_type; u32 major; u32 minor; } from r1
/// into r2 = device type (low 16 bits of access_type: 1 block, 2 char), r3 = requested accesses
/// (high 16 bits: 1 mknod, 2 read, 4 write), r4 = major, r5 = minor; then, per access bit that is
/// requested, walks the rules from last to first:
/// <code>
///   r1 = r3; r1 &amp;= BIT; if r1 == 0 goto next_bit
///   ; rule N (last) ... rule 0, only those naming BIT:
///   if r2 != TYPE goto next_rule ; if r4 != MAJOR goto next_rule ; if r5 != MINOR goto next_rule
///   deny: r0 = 0; exit          allow: goto next_bit
///   ; no rule matched: r0 = 0; exit
/// next_bit: ...
///   r0 = 1; exit
/// </code>
/// A rule that matches unconditionally ends its walk (earlier rules cannot decide), so the
/// program has no unreachable instruction, which the verifier would refuse.
/// </summary>
public static class DeviceFilterProgram
{
    /// <summary>The license string given to the kernel with the program.</summary>
    public const string License = "Apache";

    /// <summary>bpf_cgroup_dev_ctx device types and access bits (linux/bpf.h).</summary>
    public const int DevBlock = 1, DevChar = 2;
    public const int AccMknod = 1, AccRead = 2, AccWrite = 4;

    const int R0 = 0, R1 = 1, R2 = 2, R3 = 3, R4 = 4, R5 = 5;

    /// <summary>The number of instructions of the prologue that loads r2..r5.</summary>
    public const int PrologueLength = 6;

    public static BpfInstruction[] Emit(IReadOnlyList<DeviceRule> rules)
    {
        foreach (var rule in rules)
        {
            if (rule.Major is < DeviceRule.Any or > int.MaxValue || rule.Minor is < DeviceRule.Any or > int.MaxValue)
                throw new ArgumentOutOfRangeException(nameof(rules), $"device rule \"{rule}\": major and minor must be 0..{int.MaxValue} or any");
        }
        var e = new Emitter();
        e.Add(BpfInstruction.LoadWord(R2, R1, 0));
        e.Add(BpfInstruction.And32(R2, 0xffff));
        e.Add(BpfInstruction.LoadWord(R3, R1, 0));
        e.Add(BpfInstruction.Rsh32(R3, 16));
        e.Add(BpfInstruction.LoadWord(R4, R1, 4));
        e.Add(BpfInstruction.LoadWord(R5, R1, 8));
        foreach (var (access, bit) in new[] { (DeviceAccess.Read, AccRead), (DeviceAccess.Write, AccWrite), (DeviceAccess.Mknod, AccMknod) })
        {
            int nextBit = e.NewLabel();
            e.Add(BpfInstruction.Mov32Reg(R1, R3));
            e.Add(BpfInstruction.And32(R1, bit));
            e.AddJump(BpfInstruction.JumpIfEqual(R1, 0, 0), nextBit);
            bool decided = false;
            for (int i = rules.Count - 1; i >= 0 && !decided; i--)
            {
                var rule = rules[i];
                if ((rule.Access & access) == 0)
                    continue;
                int nextRule = e.NewLabel();
                bool conditional = false;
                if (rule.Type != DeviceType.All)
                {
                    e.AddJump(BpfInstruction.JumpIfNotEqual(R2, rule.Type == DeviceType.Block ? DevBlock : DevChar, 0), nextRule);
                    conditional = true;
                }
                if (rule.Major >= 0)
                {
                    e.AddJump(BpfInstruction.JumpIfNotEqual(R4, (int)rule.Major, 0), nextRule);
                    conditional = true;
                }
                if (rule.Minor >= 0)
                {
                    e.AddJump(BpfInstruction.JumpIfNotEqual(R5, (int)rule.Minor, 0), nextRule);
                    conditional = true;
                }
                if (rule.Allow)
                    e.AddJump(BpfInstruction.Jump(0), nextBit);
                else
                {
                    e.Add(BpfInstruction.Mov32(R0, 0));
                    e.Add(BpfInstruction.Exit());
                }
                if (conditional)
                    e.Place(nextRule);
                else
                    decided = true;
            }
            if (!decided)
            {
                e.Add(BpfInstruction.Mov32(R0, 0));
                e.Add(BpfInstruction.Exit());
            }
            e.Place(nextBit);
        }
        e.Add(BpfInstruction.Mov32(R0, 1));
        e.Add(BpfInstruction.Exit());
        return e.Finish();
    }

    /// <summary>Instructions with forward jumps to labels, resolved at the end.</summary>
    sealed class Emitter
    {
        readonly List<BpfInstruction> _code = [];
        readonly List<(int At, int Label)> _jumps = [];
        readonly List<int> _labels = [];

        public int NewLabel()
        {
            _labels.Add(-1);
            return _labels.Count - 1;
        }

        public void Place(int label) => _labels[label] = _code.Count;

        public void Add(BpfInstruction instruction) => _code.Add(instruction);

        public void AddJump(BpfInstruction jump, int label)
        {
            _jumps.Add((_code.Count, label));
            _code.Add(jump);
        }

        public BpfInstruction[] Finish()
        {
            foreach (var (at, label) in _jumps)
            {
                int target = _labels[label];
                int offset = target - (at + 1);
                if (target < 0 || offset < 0 || offset > short.MaxValue)
                    throw new InvalidOperationException($"device filter: bad jump from {at} to {target}");
                _code[at] = _code[at].WithOffset((short)offset);
            }
            return [.. _code];
        }
    }
}
