using System.Runtime.InteropServices;

namespace Berth.Linux.Net;

/// <summary>struct nlmsghdr.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct NlMsgHdr
{
    public const int Size = 16;
    public uint Length;
    public ushort Type;
    public ushort Flags;
    public uint Seq;
    public uint Pid;
}

/// <summary>struct ifinfomsg: the fixed header of RTM_*LINK.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct IfInfoMsg
{
    public const int Size = 16;
    public byte Family;
    public byte Pad;
    public ushort Type;
    public int Index;
    public uint Flags;
    public uint Change;
}

/// <summary>struct ifaddrmsg: the fixed header of RTM_*ADDR.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct IfAddrMsg
{
    public const int Size = 8;
    public byte Family;
    public byte PrefixLength;
    public byte Flags;
    public byte Scope;
    public uint Index;
}

/// <summary>struct rtmsg: the fixed header of RTM_*ROUTE.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct RtMsg
{
    public const int Size = 12;
    public byte Family;
    public byte DestinationLength;
    public byte SourceLength;
    public byte Tos;
    public byte Table;
    public byte Protocol;
    public byte Scope;
    public byte Type;
    public uint Flags;
}
