using Berth.Linux.Cgroups;
using Xunit;

namespace Berth.Linux.Tests.Cgroups;

/// <summary>
/// Runs a device filter program the way the kernel would, for the instructions the emitter uses,
/// on a struct bpf_cgroup_dev_ctx; and checks the shape the verifier insists on: forward jumps in
/// range, no unreachable instruction, r0 set before every exit.
/// </summary>
internal static class BpfInterpreter
{
    public static int Run(BpfInstruction[] program, int type, int access, uint major, uint minor)
    {
        uint[] ctx = [(uint)((access << 16) | type), major, minor];
        var r = new ulong[11];
        bool r1IsContext = true;
        for (int pc = 0, steps = 0; ; steps++)
        {
            Assert.True(steps < 100_000, "the program does not end");
            Assert.InRange(pc, 0, program.Length - 1);
            var i = program[pc++];
            if (i.Dst == 1 && i.Code != 0x55 && i.Code != 0x15 && i.Code != 0x95 && i.Code != 0x05)
                r1IsContext = false;
            switch (i.Code)
            {
                case 0x61: // r[dst] = *(u32 *)(r[src] + off)
                    Assert.True(i.Src == 1 && r1IsContext, $"load from r{i.Src}, which is not the context");
                    Assert.True(i.Offset is 0 or 4 or 8);
                    r[i.Dst] = ctx[i.Offset / 4];
                    r1IsContext = i.Dst != 1 && r1IsContext;
                    break;
                case 0xb4: r[i.Dst] = (uint)i.Immediate; break;
                case 0xbc: r[i.Dst] = (uint)r[i.Src]; break;
                case 0x54: r[i.Dst] = (uint)r[i.Dst] & (uint)i.Immediate; break;
                case 0x74: r[i.Dst] = (uint)r[i.Dst] >> i.Immediate; break;
                case 0x55: if (r[i.Dst] != (ulong)(long)i.Immediate) pc += i.Offset; break;
                case 0x15: if (r[i.Dst] == (ulong)(long)i.Immediate) pc += i.Offset; break;
                case 0x05: pc += i.Offset; break;
                case 0x95: return (int)r[0];
                default: Assert.Fail($"unexpected instruction {i} at {pc - 1}"); break;
            }
        }
    }

    public static void AssertVerifiable(BpfInstruction[] program)
    {
        Assert.True(program.Length > 0);
        Assert.Equal(0x95, program[^1].Code);
        var reachable = new bool[program.Length];
        var work = new Stack<int>([0]);
        while (work.Count > 0)
        {
            int pc = work.Pop();
            if (reachable[pc])
                continue;
            reachable[pc] = true;
            var i = program[pc];
            if (i.Code == 0x95)
            {
                Assert.True(pc > 0 && program[pc - 1].Code == 0xb4 && program[pc - 1].Dst == 0 && program[pc - 1].Immediate is 0 or 1,
                    $"exit at {pc} without r0 = 0 or 1 just before");
                continue;
            }
            if (i.IsJump)
            {
                Assert.True(i.Offset >= 0, $"backward jump at {pc}");
                Assert.InRange(pc + 1 + i.Offset, 0, program.Length - 1);
                work.Push(pc + 1 + i.Offset);
                if (i.Code == 0x05)
                    continue;
            }
            work.Push(pc + 1);
        }
        int unreachable = Array.IndexOf(reachable, false);
        Assert.True(unreachable < 0, $"instruction {unreachable} is unreachable");
    }
}
