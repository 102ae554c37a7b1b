using System.Text;
using Berth.Images.Layers;

namespace Berth.Images.Tests.Layers;

/// <summary>Builds tar archives entry by entry, names taken as given (hostile ones included).</summary>
public sealed class TestTar
{
    readonly MemoryStream _stream = new();
    readonly TarWriter _writer;
    readonly TarEntry _entry = new();

    public TestTar() => _writer = new TarWriter(_stream);

    TestTar Add(TarEntryType type, string name, string? link = null, byte[]? data = null, uint mode = 0x1A4,
        Action<TarEntry>? change = null)
    {
        _entry.Reset();
        _entry.Type = type;
        _entry.SetName(Encoding.UTF8.GetBytes(name));
        if (link is not null)
            _entry.SetLinkName(Encoding.UTF8.GetBytes(link));
        _entry.Mode = mode;
        _entry.MtimeSeconds = 1_600_000_000;
        _entry.Size = data?.Length ?? 0;
        change?.Invoke(_entry);
        _writer.WriteHeader(_entry);
        if (data is not null)
            _writer.WriteData(data);
        return this;
    }

    public TestTar File(string name, string content = "x", Action<TarEntry>? change = null)
        => Add(TarEntryType.Regular, name, data: Encoding.UTF8.GetBytes(content), change: change);

    public TestTar Dir(string name, uint mode = 0x1ED) => Add(TarEntryType.Directory, name, mode: mode);

    public TestTar Symlink(string name, string target) => Add(TarEntryType.Symlink, name, target, mode: 0x1FF);

    public TestTar HardLink(string name, string target) => Add(TarEntryType.HardLink, name, target);

    public TestTar Raw(TarEntryType type, string name, Action<TarEntry> change) => Add(type, name, change: change);

    public byte[] Build()
    {
        _writer.Finish();
        return _stream.ToArray();
    }

    /// <summary>Raw bytes spliced in: a hand-made header block, a PAX record the writer would not make.</summary>
    public static byte[] Header(string name, char type, long size, string? linkName = null, string magic = "ustar\0", string version = "00")
    {
        var block = new byte[512];
        Encoding.ASCII.GetBytes(name).CopyTo(block, 0);
        Encoding.ASCII.GetBytes("0000644\0").CopyTo(block, 100);
        Encoding.ASCII.GetBytes("0000000\0").CopyTo(block, 108);
        Encoding.ASCII.GetBytes("0000000\0").CopyTo(block, 116);
        Encoding.ASCII.GetBytes(Convert.ToString(size, 8).PadLeft(11, '0') + "\0").CopyTo(block, 124);
        Encoding.ASCII.GetBytes("13000000000\0").CopyTo(block, 136);
        block[156] = (byte)type;
        if (linkName is not null)
            Encoding.ASCII.GetBytes(linkName).CopyTo(block, 157);
        Encoding.ASCII.GetBytes(magic).CopyTo(block, 257);
        Encoding.ASCII.GetBytes(version).CopyTo(block, 263);
        for (int i = 148; i < 156; i++)
            block[i] = (byte)' ';
        int sum = block.Sum(b => b);
        Encoding.ASCII.GetBytes(Convert.ToString(sum, 8).PadLeft(6, '0') + "\0 ").CopyTo(block, 148);
        return block;
    }

    /// <summary>A data block sequence padded to 512 bytes.</summary>
    public static byte[] Padded(byte[] data) => [.. data, .. new byte[(512 - data.Length % 512) % 512]];

    public static byte[] PaxRecord(string key, string value)
    {
        int length = key.Length + Encoding.UTF8.GetByteCount(value) + 3;
        length += length.ToString().Length;
        if ((length.ToString().Length + key.Length + Encoding.UTF8.GetByteCount(value) + 3) != length)
            length++;
        return Encoding.UTF8.GetBytes($"{length} {key}={value}\n");
    }
}
