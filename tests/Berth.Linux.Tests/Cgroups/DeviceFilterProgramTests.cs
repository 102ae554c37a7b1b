using System.Runtime.CompilerServices;
using Berth.Linux.Cgroups;
using Xunit;
using I = Berth.Linux.Cgroups.BpfInstruction;

namespace Berth.Linux.Tests.Cgroups;

public class DeviceFilterProgramTests
{
    const int Char = DeviceFilterProgram.DevChar, Block = DeviceFilterProgram.DevBlock;
    const int R = DeviceFilterProgram.AccRead, W = DeviceFilterProgram.AccWrite, M = DeviceFilterProgram.AccMknod;

    static DeviceRule Allow(DeviceType t, long major, long minor, DeviceAccess a = DeviceAccess.All) => new(t, major, minor, a, true);

    static DeviceRule Deny(DeviceType t, long major, long minor, DeviceAccess a = DeviceAccess.All) => new(t, major, minor, a, false);

    const long Any = DeviceRule.Any;

    /// <summary>Docker's list: deny everything, then the usual devices.</summary>
    static readonly DeviceRule[] DockerDefault =
    [
        Deny(DeviceType.All, Any, Any),
        Allow(DeviceType.Char, Any, Any, DeviceAccess.Mknod),
        Allow(DeviceType.Block, Any, Any, DeviceAccess.Mknod),
        Allow(DeviceType.Char, 1, 3), Allow(DeviceType.Char, 1, 5), Allow(DeviceType.Char, 1, 7), Allow(DeviceType.Char, 1, 8),
        Allow(DeviceType.Char, 1, 9), Allow(DeviceType.Char, 5, 0), Allow(DeviceType.Char, 5, 1), Allow(DeviceType.Char, 136, Any),
        Allow(DeviceType.Char, 5, 2), Allow(DeviceType.Char, 10, 200), Deny(DeviceType.Char, 10, 229),
    ];

    [Fact]
    public void InstructionsAreEightBytesLaidOutAsStructBpfInsn()
    {
        Assert.Equal(8, Unsafe.SizeOf<I>());
        var i = I.JumpIfNotEqual(4, 136, 3);
        Assert.Equal(0x55, i.Code);
        Assert.Equal(0x04, i.Registers); // dst r4 in the low nibble, src r0
        Assert.Equal(3, i.Offset);
        Assert.Equal(136, i.Immediate);
        Assert.Equal(0x12, I.LoadWord(2, 1, 0).Registers); // dst r2, src r1
        Assert.Equal(0x61, I.LoadWord(2, 1, 0).Code);      // BPF_LDX | BPF_MEM | BPF_W
    }

    [Fact]
    public void OneRuleGivesTheExpectedProgram()
    {
        var program = DeviceFilterProgram.Emit([Allow(DeviceType.Char, 1, 3)]);
        I[] prologue =
        [
            I.LoadWord(2, 1, 0), I.And32(2, 0xffff), // r2 = type
            I.LoadWord(3, 1, 0), I.Rsh32(3, 16),     // r3 = access
            I.LoadWord(4, 1, 4),                     // r4 = major
            I.LoadWord(5, 1, 8),                     // r5 = minor
        ];
        I[] readBit =
        [
            I.Mov32Reg(1, 3), I.And32(1, R), I.JumpIfEqual(1, 0, 6), // not asked to read: next access
            I.JumpIfNotEqual(2, Char, 3), I.JumpIfNotEqual(4, 1, 2), I.JumpIfNotEqual(5, 3, 1), // c 1:3?
            I.Jump(2),                               // allowed: next access
            I.Mov32(0, 0), I.Exit(),                 // no rule: deny
        ];
        Assert.Equal(prologue, program[..6]);
        Assert.Equal(readBit, program[6..15]);
        Assert.Equal(6 + 3 * readBit.Length + 2, program.Length);
        Assert.Equal([I.Mov32(0, 1), I.Exit()], program[^2..]);
        BpfInterpreter.AssertVerifiable(program);
    }

    [Fact]
    public void NoRulesDenyEverything()
    {
        var program = DeviceFilterProgram.Emit([]);
        BpfInterpreter.AssertVerifiable(program);
        Assert.Equal(6 + 3 * 5 + 2, program.Length);
        Assert.Equal(0, BpfInterpreter.Run(program, Char, R, 1, 3));
        Assert.Equal(0, BpfInterpreter.Run(program, Block, M, 8, 0));
    }

    [Fact]
    public void DockersDefaultListAllowsExactlyItsDevices()
    {
        var program = DeviceFilterProgram.Emit(DockerDefault);
        BpfInterpreter.AssertVerifiable(program);
        int Ask(int type, int access, uint major, uint minor) => BpfInterpreter.Run(program, type, access, major, minor);
        Assert.Equal(1, Ask(Char, R | W, 1, 3));   // /dev/null
        Assert.Equal(1, Ask(Char, R, 1, 9));       // /dev/urandom
        Assert.Equal(1, Ask(Char, R | W, 136, 4)); // /dev/pts/4
        Assert.Equal(1, Ask(Char, M, 42, 7));      // mknod of any char device
        Assert.Equal(1, Ask(Block, M, 8, 0));      // mknod of any block device
        Assert.Equal(0, Ask(Block, R, 8, 0));      // /dev/sda
        Assert.Equal(0, Ask(Char, R, 1, 11));      // /dev/kmsg
        Assert.Equal(0, Ask(Char, R | M, 42, 7));  // mknod yes, read no: denied
        Assert.Equal(0, Ask(Char, M, 10, 229));    // denied last, although mknod is allowed before
    }

    [Fact]
    public void TheLastMatchingRuleDecidesEachAccess()
    {
        var program = DeviceFilterProgram.Emit([Allow(DeviceType.Char, 1, 3), Deny(DeviceType.Char, 1, 3, DeviceAccess.Write)]);
        BpfInterpreter.AssertVerifiable(program);
        Assert.Equal(1, BpfInterpreter.Run(program, Char, R, 1, 3));
        Assert.Equal(0, BpfInterpreter.Run(program, Char, W, 1, 3));
        Assert.Equal(0, BpfInterpreter.Run(program, Char, R | W, 1, 3));
        Assert.Equal(1, BpfInterpreter.Run(program, Char, M, 1, 3));

        // Accesses allowed by different rules add up.
        program = DeviceFilterProgram.Emit([Allow(DeviceType.Char, 1, 3, DeviceAccess.Read), Allow(DeviceType.Char, Any, 3, DeviceAccess.Write)]);
        Assert.Equal(1, BpfInterpreter.Run(program, Char, R | W, 1, 3));
        Assert.Equal(0, BpfInterpreter.Run(program, Char, R | W, 2, 3));
    }

    [Fact]
    public void AnAllowAllRuleEndsTheSearchAndLaterDenialsStillWin()
    {
        var program = DeviceFilterProgram.Emit([Allow(DeviceType.All, Any, Any), Deny(DeviceType.Char, 1, 5)]);
        BpfInterpreter.AssertVerifiable(program);
        Assert.Equal(1, BpfInterpreter.Run(program, Block, R | W, 8, 0));
        Assert.Equal(0, BpfInterpreter.Run(program, Char, R, 1, 5));
        // A rule before the last unconditional one is never reached, so it is not emitted.
        var shadowed = DeviceFilterProgram.Emit([Deny(DeviceType.Char, 1, 5), Allow(DeviceType.All, Any, Any)]);
        BpfInterpreter.AssertVerifiable(shadowed);
        Assert.Equal(1, BpfInterpreter.Run(shadowed, Char, R, 1, 5));
    }

    [Fact]
    public void NumbersOutOfRangeAreRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => DeviceFilterProgram.Emit([Allow(DeviceType.Char, 1L << 32, 0)]));
    }
}
