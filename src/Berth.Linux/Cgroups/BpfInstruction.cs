using System.Runtime.InteropServices;

namespace Berth.Linux.Cgroups;

/// <summary>
/// One eBPF instruction (struct bpf_insn): opcode, destination and source registers, a signed
/// 16-bit jump offset (in instructions, from the next one) and a signed 32-bit immediate.
/// Only what a device filter needs is spelled out here.
/// </summary>
[StructLayout(LayoutKind.Sequential, Size = 8)]
public readonly struct BpfInstruction : IEquatable<BpfInstruction>
{
    // Instruction classes, sizes, modes, operations and sources (linux/bpf_common.h, linux/bpf.h).
    public const byte ClassLdx = 0x01, ClassAlu = 0x04, ClassJmp = 0x05;
    public const byte SizeW = 0x00, ModeMem = 0x60;
    public const byte OpAnd = 0x50, OpRsh = 0x70, OpMov = 0xb0;
    public const byte OpJa = 0x00, OpJeq = 0x10, OpJne = 0x50, OpExit = 0x90;
    public const byte SourceImm = 0x00, SourceReg = 0x08;

    public BpfInstruction(byte code, int dst, int src, short offset, int immediate)
    {
        Code = code;
        Registers = (byte)((dst & 0xf) | ((src & 0xf) << 4));
        Offset = offset;
        Immediate = immediate;
    }

    public byte Code { get; }

    /// <summary>dst_reg in the low nibble, src_reg in the high one (little-endian layout).</summary>
    public byte Registers { get; }

    public short Offset { get; }

    public int Immediate { get; }

    public int Dst => Registers & 0xf;

    public int Src => Registers >> 4;

    public byte Class => (byte)(Code & 0x07);

    /// <summary>dst = *(u32 *)(src + offset)</summary>
    public static BpfInstruction LoadWord(int dst, int src, short offset) => new((byte)(ClassLdx | SizeW | ModeMem), dst, src, offset, 0);

    /// <summary>dst = (u32)imm</summary>
    public static BpfInstruction Mov32(int dst, int imm) => new((byte)(ClassAlu | OpMov | SourceImm), dst, 0, 0, imm);

    /// <summary>dst = (u32)src</summary>
    public static BpfInstruction Mov32Reg(int dst, int src) => new((byte)(ClassAlu | OpMov | SourceReg), dst, src, 0, 0);

    /// <summary>dst = (u32)dst &amp; imm</summary>
    public static BpfInstruction And32(int dst, int imm) => new((byte)(ClassAlu | OpAnd | SourceImm), dst, 0, 0, imm);

    /// <summary>dst = (u32)dst &gt;&gt; imm</summary>
    public static BpfInstruction Rsh32(int dst, int imm) => new((byte)(ClassAlu | OpRsh | SourceImm), dst, 0, 0, imm);

    /// <summary>if (dst != imm) goto +offset</summary>
    public static BpfInstruction JumpIfNotEqual(int dst, int imm, short offset) => new((byte)(ClassJmp | OpJne | SourceImm), dst, 0, offset, imm);

    /// <summary>if (dst == imm) goto +offset</summary>
    public static BpfInstruction JumpIfEqual(int dst, int imm, short offset) => new((byte)(ClassJmp | OpJeq | SourceImm), dst, 0, offset, imm);

    /// <summary>goto +offset</summary>
    public static BpfInstruction Jump(short offset) => new((byte)(ClassJmp | OpJa), 0, 0, offset, 0);

    /// <summary>return r0</summary>
    public static BpfInstruction Exit() => new((byte)(ClassJmp | OpExit), 0, 0, 0, 0);

    public BpfInstruction WithOffset(short offset) => new(Code, Dst, Src, offset, Immediate);

    public bool IsJump => Class == ClassJmp && (Code & 0xf0) != OpExit;

    public bool Equals(BpfInstruction other)
        => Code == other.Code && Registers == other.Registers && Offset == other.Offset && Immediate == other.Immediate;

    public override bool Equals(object? obj) => obj is BpfInstruction other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Code, Registers, Offset, Immediate);

    public static bool operator ==(BpfInstruction left, BpfInstruction right) => left.Equals(right);

    public static bool operator !=(BpfInstruction left, BpfInstruction right) => !left.Equals(right);

    public override string ToString() => $"{{code=0x{Code:x2} dst=r{Dst} src=r{Src} off={Offset} imm={Immediate}}}";
}
