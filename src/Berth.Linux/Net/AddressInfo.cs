namespace Berth.Linux.Net;

/// <summary>An address on a link (IFA_LOCAL, or IFA_ADDRESS when there is none) with its prefix length.</summary>
public sealed record AddressInfo(int Index, System.Net.IPAddress Address, int PrefixLength);
