using System.Security.Cryptography;
using System.Text;

namespace Berth.Oci.Image;

/// <summary>
/// Chain IDs (OCI image spec "Layer ChainID"): the identity of a stack of layers, so that a snapshot of layers 0..n is
/// shared by every image whose first n+1 layers are the same.
/// ChainID(L0) = DiffID(L0); ChainID(Ln) = sha256(ChainID(Ln-1) + " " + DiffID(Ln)), over the digests' string forms.
/// </summary>
public static class ChainId
{
    /// <summary>The chain ID of each prefix of <paramref name="diffIds"/>: element n is the chain ID of layers 0..n.</summary>
    public static Digest[] All(IReadOnlyList<Digest> diffIds)
    {
        Digest[] chain = new Digest[diffIds.Count];
        for (int i = 0; i < chain.Length; i++)
        {
            chain[i] = i == 0 ? diffIds[0] : Next(chain[i - 1], diffIds[i]);
        }
        return chain;
    }

    /// <summary>The chain ID of the whole stack; null for no layers.</summary>
    public static Digest? Of(IReadOnlyList<Digest> diffIds)
    {
        Digest[] chain = All(diffIds);
        return chain.Length == 0 ? null : chain[^1];
    }

    /// <summary>The chain ID of <paramref name="diffId"/> stacked on the chain <paramref name="parent"/>.</summary>
    public static Digest Next(Digest parent, Digest diffId) =>
        new(Digest.Sha256, Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes($"{parent} {diffId}"))));
}
