using System.Buffers;
using System.Security.Cryptography;

namespace Berth.Images.Layers;

/// <summary>
/// Writes tar archives exactly as Go's archive/tar does with Docker's settings (Format = PAX): a
/// plain ustar header whenever the entry fits one (a long path split into prefix and name), a PAX
/// extended header ("PaxHeaders.0/&lt;name&gt;", records sorted by key) only when something does not
/// fit: a long or non-ASCII name or link, a big id or size, sub-second mtime, xattrs. Empty
/// uname/gname, no atime/ctime, devmajor/devminor written as octal zeros. Output is buffered and
/// optionally hashed (a layer's diffID) as it is written.
///
/// Usage: <see cref="WriteHeader"/>, then exactly <see cref="TarEntry.Size"/> bytes through
/// <see cref="WriteData"/> for a regular file; <see cref="Finish"/> writes the two zero blocks.
/// </summary>
public sealed class TarWriter : IDisposable
{
    readonly Stream _output;
    readonly IncrementalHash? _hash;
    byte[] _buffer;
    int _used;
    long _written;
    long _dataRemaining;
    int _padding;
    readonly List<byte> _records = [];
    readonly SortedDictionary<string, byte[]> _pending = new(StringComparer.Ordinal);
    readonly byte[] _block = new byte[TarFields.BlockSize];

    public TarWriter(Stream output, IncrementalHash? hash = null, int bufferSize = 256 * 1024)
    {
        _output = output;
        _hash = hash;
        _buffer = ArrayPool<byte>.Shared.Rent(bufferSize);
    }

    /// <summary>Bytes of tar written so far.</summary>
    public long BytesWritten => _written + _used;

    public void WriteHeader(TarEntry entry)
    {
        if (_dataRemaining != 0)
            throw new InvalidOperationException($"tar: {_dataRemaining} bytes of the previous entry were not written");
        WritePadding();

        bool regular = entry.IsRegularFile;
        long size = regular ? entry.Size : 0;
        var name = entry.NameBytes;
        var link = entry.LinkNameBytes;
        _records.Clear();
        bool ustar = true;
        var records = _pending;
        records.Clear();

        // Which fields a ustar header cannot hold (Go's allowedFormats).
        ReadOnlySpan<byte> prefix = default, shortName = name;
        if (!TarFields.IsAscii(name) || name.Length > TarFields.NameLength)
        {
            records["path"] = name.ToArray();
            if (TrySplitUstarPath(name, out prefix, out shortName) is false)
                ustar = false;
        }
        if (!TarFields.IsAscii(link) || link.Length > TarFields.NameLength)
        {
            records["linkpath"] = link.ToArray();
            ustar = false;
        }
        byte[] uname = entry.Uname.Length == 0 ? [] : System.Text.Encoding.UTF8.GetBytes(entry.Uname);
        byte[] gname = entry.Gname.Length == 0 ? [] : System.Text.Encoding.UTF8.GetBytes(entry.Gname);
        if (!TarFields.IsAscii(uname) || uname.Length > TarFields.OwnerNameLength)
        {
            records["uname"] = uname;
            ustar = false;
        }
        if (!TarFields.IsAscii(gname) || gname.Length > TarFields.OwnerNameLength)
        {
            records["gname"] = gname;
            ustar = false;
        }
        CheckNumber(entry.Uid, 8, "uid", records, ref ustar);
        CheckNumber(entry.Gid, 8, "gid", records, ref ustar);
        CheckNumber(size, 12, "size", records, ref ustar);
        if (entry.MtimeNanoseconds != 0 || !TarFields.FitsOctal(12, entry.MtimeSeconds))
        {
            // Go prefers PAX for sub-second times rather than rounding them away.
            records["mtime"] = PaxRecords.FormatTime(entry.MtimeSeconds, entry.MtimeNanoseconds);
            ustar = false;
        }
        foreach (var x in entry.Xattrs)
        {
            records[PaxRecords.XattrPrefix + x.Name] = x.Value;
            ustar = false;
        }

        if (ustar)
        {
            FillHeader(entry, shortName, link, uname, gname, size, usePrefix: true, prefix);
        }
        else
        {
            foreach (var (key, value) in records)
                PaxRecords.Append(_records, key, value);
            WritePaxHeader(name);
            // The ustar fields under a PAX header carry ASCII-only, cut versions (Go's toASCII).
            FillHeader(entry, ToAscii(name), ToAscii(link), ToAscii(uname), ToAscii(gname), size, usePrefix: false, default);
        }
        TarFields.SetChecksum(_block);
        Append(_block);
        _dataRemaining = size;
        _padding = (int)((TarFields.BlockSize - size % TarFields.BlockSize) % TarFields.BlockSize);
    }

    static void CheckNumber(long value, int field, string key, SortedDictionary<string, byte[]> records, ref bool ustar)
    {
        if (!TarFields.FitsOctal(field, value))
        {
            records[key] = System.Text.Encoding.ASCII.GetBytes(value.ToString(System.Globalization.CultureInfo.InvariantCulture));
            ustar = false;
        }
    }

    void FillHeader(TarEntry entry, ReadOnlySpan<byte> name, ReadOnlySpan<byte> link, ReadOnlySpan<byte> uname, ReadOnlySpan<byte> gname,
        long size, bool usePrefix, ReadOnlySpan<byte> prefix)
    {
        var b = _block.AsSpan();
        b.Clear();
        b[TarFields.TypeFlag] = (byte)(entry.Type == TarEntryType.RegularA ? TarEntryType.Regular : entry.Type);
        TarFields.FormatString(b.Slice(TarFields.Name, TarFields.NameLength), name);
        TarFields.FormatString(b.Slice(TarFields.LinkName, TarFields.NameLength), link);
        TarFields.FormatOctal(b.Slice(TarFields.Mode, 8), entry.Mode & 0xFFF);
        TarFields.FormatOctal(b.Slice(TarFields.Uid, 8), entry.Uid);
        TarFields.FormatOctal(b.Slice(TarFields.Gid, 8), entry.Gid);
        TarFields.FormatOctal(b.Slice(TarFields.Size, 12), size);
        TarFields.FormatOctal(b.Slice(TarFields.Mtime, 12), entry.MtimeSeconds);
        TarFields.FormatString(b.Slice(TarFields.Uname, 32), uname);
        TarFields.FormatString(b.Slice(TarFields.Gname, 32), gname);
        TarFields.FormatNumber(b.Slice(TarFields.DevMajor, 8), entry.DevMajor);
        TarFields.FormatNumber(b.Slice(TarFields.DevMinor, 8), entry.DevMinor);
        if (usePrefix)
            TarFields.FormatString(b.Slice(TarFields.Prefix, TarFields.PrefixLength), prefix);
        TarFields.UstarMagic.CopyTo(b[TarFields.Magic..]);
        TarFields.UstarVersion.CopyTo(b[TarFields.Version..]);
    }

    /// <summary>The 'x' entry holding <see cref="_records"/>, named as Go names it: dir/PaxHeaders.0/file.</summary>
    void WritePaxHeader(ReadOnlySpan<byte> name)
    {
        int slash = name.LastIndexOf((byte)'/');
        var dir = slash < 0 ? default : name[..(slash + 1)];
        var file = name[(slash + 1)..];
        var paxName = new List<byte>(dir.Length + 13 + file.Length);
        paxName.AddRange(dir);
        paxName.AddRange("PaxHeaders.0"u8);
        if (!file.IsEmpty)
        {
            paxName.Add((byte)'/');
            paxName.AddRange(file);
        }
        var ascii = ToAscii(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(paxName));
        if (ascii.Length > TarFields.NameLength)
            ascii = ascii[..TarFields.NameLength];
        while (ascii.Length > 0 && ascii[^1] == '/')
            ascii = ascii[..^1];

        var b = _block.AsSpan();
        b.Clear();
        b[TarFields.TypeFlag] = (byte)TarEntryType.PaxHeader;
        TarFields.FormatString(b.Slice(TarFields.Name, TarFields.NameLength), ascii);
        TarFields.FormatOctal(b.Slice(TarFields.Mode, 8), 0);
        TarFields.FormatOctal(b.Slice(TarFields.Uid, 8), 0);
        TarFields.FormatOctal(b.Slice(TarFields.Gid, 8), 0);
        TarFields.FormatOctal(b.Slice(TarFields.Size, 12), _records.Count);
        TarFields.FormatOctal(b.Slice(TarFields.Mtime, 12), 0);
        TarFields.UstarMagic.CopyTo(b[TarFields.Magic..]);
        TarFields.UstarVersion.CopyTo(b[TarFields.Version..]);
        TarFields.SetChecksum(b);
        Append(b);
        Append(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_records));
        Append(Zeros[..(int)((TarFields.BlockSize - _records.Count % TarFields.BlockSize) % TarFields.BlockSize)]);
    }

    /// <summary>Go's splitUSTARPath: an ASCII path up to 256 bytes split at a '/' into prefix (≤155) and name (≤100).</summary>
    static bool TrySplitUstarPath(ReadOnlySpan<byte> name, out ReadOnlySpan<byte> prefix, out ReadOnlySpan<byte> suffix)
    {
        prefix = default;
        suffix = name;
        int length = name.Length;
        if (length <= TarFields.NameLength || !TarFields.IsAscii(name))
            return false;
        if (length > TarFields.PrefixLength + 1)
            length = TarFields.PrefixLength + 1;
        else if (name[length - 1] == '/')
            length--;
        int i = name[..length].LastIndexOf((byte)'/');
        int nlen = name.Length - i - 1, plen = i;
        if (i <= 0 || nlen > TarFields.NameLength || nlen == 0 || plen > TarFields.PrefixLength)
            return false;
        prefix = name[..i];
        suffix = name[(i + 1)..];
        return true;
    }

    static byte[] ToAscii(ReadOnlySpan<byte> value)
    {
        if (TarFields.IsAscii(value))
            return value.ToArray();
        // Go drops every non-ASCII rune; on bytes that means every byte >= 0x80 (one or more per rune).
        var ascii = new List<byte>(value.Length);
        foreach (byte c in value)
            if (c < 0x80)
                ascii.Add(c);
        return [.. ascii];
    }

    static readonly byte[] ZeroBlocks = new byte[TarFields.BlockSize * 2];

    static ReadOnlySpan<byte> Zeros => ZeroBlocks;

    /// <summary>Writes part of the current entry's data.</summary>
    public void WriteData(ReadOnlySpan<byte> data)
    {
        if (data.Length > _dataRemaining)
            throw new InvalidOperationException($"tar: {data.Length} bytes written to an entry with {_dataRemaining} left (the file grew while it was archived?)");
        _dataRemaining -= data.Length;
        Append(data);
    }

    /// <summary>Writes <paramref name="count"/> zeros of data (a sparse file's hole, or a file that shrank while archived).</summary>
    public void WriteZeros(long count)
    {
        while (count > 0)
        {
            int n = (int)Math.Min(count, TarFields.BlockSize * 2);
            WriteData(Zeros[..n]);
            count -= n;
        }
    }

    /// <summary>Data bytes the current entry still expects.</summary>
    public long DataRemaining => _dataRemaining;

    void WritePadding()
    {
        if (_padding > 0)
            Append(Zeros[.._padding]);
        _padding = 0;
    }

    void Append(ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            if (_used == _buffer.Length)
                FlushBuffer();
            int n = Math.Min(data.Length, _buffer.Length - _used);
            data[..n].CopyTo(_buffer.AsSpan(_used));
            _used += n;
            data = data[n..];
        }
    }

    void FlushBuffer()
    {
        if (_used == 0)
            return;
        _hash?.AppendData(_buffer, 0, _used);
        _output.Write(_buffer, 0, _used);
        _written += _used;
        _used = 0;
    }

    /// <summary>Ends the archive: padding, two zero blocks (as Go writes, no padding to a 10 KiB record), flush.</summary>
    public void Finish()
    {
        if (_dataRemaining != 0)
            throw new InvalidOperationException($"tar: {_dataRemaining} bytes of the last entry were not written");
        WritePadding();
        Append(Zeros);
        FlushBuffer();
        _output.Flush();
    }

    public void Dispose()
    {
        if (_buffer.Length > 0)
            ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }
}
