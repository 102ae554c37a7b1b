using System.Runtime.InteropServices;

namespace Berth.Linux.Seccomp;

/// <summary>The comparison operators of libseccomp (<c>enum scmp_compare</c>).</summary>
public enum SeccompCompare
{
    NotEqual = 1,
    LessThan = 2,
    LessOrEqual = 3,
    Equal = 4,
    GreaterOrEqual = 5,
    GreaterThan = 6,
    /// <summary><c>(arg &amp; DatumA) == DatumB</c>.</summary>
    MaskedEqual = 7,
}

/// <summary>
/// One argument comparison of a rule: <c>struct scmp_arg_cmp</c> (24 bytes: <c>unsigned int arg</c>,
/// <c>enum scmp_compare op</c>, two 64-bit datums). For <see cref="SeccompCompare.MaskedEqual"/>,
/// <see cref="DatumA"/> is the mask and <see cref="DatumB"/> the value.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public readonly struct SeccompCondition(uint argument, SeccompCompare op, ulong datumA, ulong datumB = 0)
{
    /// <summary>Syscall argument index, 0 to 5.</summary>
    public readonly uint Argument = argument;
    public readonly SeccompCompare Op = op;
    public readonly ulong DatumA = datumA;
    public readonly ulong DatumB = datumB;

    public const int MaxArguments = 6;

    public override string ToString() => $"arg{Argument} {Op} {DatumA:x}/{DatumB:x}";
}
