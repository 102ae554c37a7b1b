using System.Buffers;
using System.Text;

namespace Berth.Images.Layers;

public sealed partial class TarReader
{
    readonly PaxState _pax = new();
    byte[] _meta = new byte[4096];
    byte[] _longName = new byte[256], _longLink = new byte[256];
    int _longNameLength = -1, _longLinkLength = -1;
    string _uname = "", _gname = "";

    /// <summary>The next entry, or null at the end of the archive (two zero blocks, or the end of the stream on a block boundary).</summary>
    public TarEntry? Next()
    {
        if (_finished)
            return null;
        SkipEntry();
        _entry.Reset();
        _pax.Reset();
        _longNameLength = _longLinkLength = -1;
        while (true)
        {
            if (!Fill(TarFields.BlockSize))
            {
                if (_end == _pos && _pax.IsEmpty && _longNameLength < 0 && _longLinkLength < 0)
                {
                    // Go and GNU tar accept an archive that stops without its zero blocks.
                    _finished = true;
                    return null;
                }
                throw Truncated();
            }
            var block = _buffer.AsSpan(_pos, TarFields.BlockSize);
            if (!block.ContainsAnyExcept((byte)0))
            {
                _pos += TarFields.BlockSize;
                if (Fill(TarFields.BlockSize))
                {
                    if (_buffer.AsSpan(_pos, TarFields.BlockSize).ContainsAnyExcept((byte)0))
                        throw Corrupt("a zero block followed by more headers");
                    _pos += TarFields.BlockSize;
                }
                _finished = true;
                return null;
            }
            var format = CheckHeader(block);
            var type = (TarEntryType)block[TarFields.TypeFlag];
            if (!TarFields.TryParseNumber(block.Slice(TarFields.Size, TarFields.LongNumberLength), out long size) || size < 0)
                throw Corrupt("invalid size field");
            switch (type)
            {
                case TarEntryType.PaxHeader:
                    _pos += TarFields.BlockSize;
                    _pax.Parse(ReadMetadata(size));
                    continue;
                case TarEntryType.PaxGlobalHeader:
                    // Docker ignores global headers; so do we (nothing in a layer needs them).
                    _pos += TarFields.BlockSize;
                    ReadMetadata(size);
                    continue;
                case TarEntryType.GnuLongName:
                    _pos += TarFields.BlockSize;
                    _longNameLength = CopyString(ReadMetadata(size), ref _longName);
                    continue;
                case TarEntryType.GnuLongLink:
                    _pos += TarFields.BlockSize;
                    _longLinkLength = CopyString(ReadMetadata(size), ref _longLink);
                    continue;
            }
            ParseEntry(block, format, type, size);
            return _entry;
        }
    }

    enum HeaderFormat
    {
        V7,
        Ustar,
        Star,
        Gnu,
    }

    HeaderFormat CheckHeader(ReadOnlySpan<byte> block)
    {
        if (!TarFields.TryParseNumber(block.Slice(TarFields.Checksum, 8), out long stored))
            throw Corrupt("invalid checksum field");
        var (unsigned, signed) = TarFields.ComputeChecksum(block);
        if (stored != unsigned && stored != signed)
            throw Corrupt("checksum mismatch (not a tar archive, or a corrupt one)");
        var magic = block.Slice(TarFields.Magic, 6);
        var version = block.Slice(TarFields.Version, 2);
        if (magic.SequenceEqual(TarFields.UstarMagic) && version.SequenceEqual(TarFields.UstarVersion))
            return block.Slice(508, 4).SequenceEqual("tar\0"u8) ? HeaderFormat.Star : HeaderFormat.Ustar;
        if (magic.SequenceEqual(TarFields.GnuMagic) && version.SequenceEqual(TarFields.GnuVersion))
            return HeaderFormat.Gnu;
        return HeaderFormat.V7;
    }

    void ParseEntry(ReadOnlySpan<byte> block, HeaderFormat format, TarEntryType type, long size)
    {
        var e = _entry;
        // Name: GNU long name, else PAX path, else the header's prefix and name (Go's precedence).
        if (_longNameLength >= 0)
            e.SetName(_longName.AsSpan(0, _longNameLength));
        else if (_pax.Path is not null)
            e.SetName(_pax.Path);
        else
        {
            var prefix = format switch
            {
                HeaderFormat.Ustar => TarFields.String(block.Slice(TarFields.Prefix, TarFields.PrefixLength)),
                HeaderFormat.Star => TarFields.String(block.Slice(TarFields.Prefix, TarFields.StarPrefixLength)),
                _ => default,
            };
            if (!prefix.IsEmpty)
            {
                e.SetName(prefix);
                e.AppendName("/"u8);
                e.AppendName(TarFields.String(block.Slice(TarFields.Name, TarFields.NameLength)));
            }
            else
                e.SetName(TarFields.String(block.Slice(TarFields.Name, TarFields.NameLength)));
        }
        if (_longLinkLength >= 0)
            e.SetLinkName(_longLink.AsSpan(0, _longLinkLength));
        else if (_pax.LinkPath is not null)
            e.SetLinkName(_pax.LinkPath);
        else
            e.SetLinkName(TarFields.String(block.Slice(TarFields.LinkName, TarFields.NameLength)));

        if (!TarFields.TryParseNumber(block.Slice(TarFields.Mode, 8), out long mode)
            || !TarFields.TryParseNumber(block.Slice(TarFields.Uid, 8), out long uid)
            || !TarFields.TryParseNumber(block.Slice(TarFields.Gid, 8), out long gid)
            || !TarFields.TryParseNumber(block.Slice(TarFields.Mtime, 12), out long mtime))
            throw Corrupt($"invalid numeric field in entry \"{e.Name}\"");
        e.Mode = (uint)(mode & 0xFFF);
        e.Uid = _pax.Uid ?? uid;
        e.Gid = _pax.Gid ?? gid;
        if (e.Uid is < 0 or > uint.MaxValue || e.Gid is < 0 or > uint.MaxValue)
            throw Corrupt($"owner {e.Uid}:{e.Gid} of entry \"{e.Name}\" is out of range");
        (e.MtimeSeconds, e.MtimeNanoseconds) = _pax.Mtime ?? (mtime, 0);
        if (_pax.Atime is { } atime)
            (e.AtimeSeconds, e.AtimeNanoseconds) = atime;
        if (format != HeaderFormat.V7)
        {
            if (!TarFields.TryParseNumber(block.Slice(TarFields.DevMajor, 8), out long major)
                || !TarFields.TryParseNumber(block.Slice(TarFields.DevMinor, 8), out long minor)
                || major is < 0 or > uint.MaxValue || minor is < 0 or > uint.MaxValue)
                throw Corrupt($"invalid device number in entry \"{e.Name}\"");
            e.DevMajor = (uint)major;
            e.DevMinor = (uint)minor;
            e.Uname = _pax.Uname ?? Cached(TarFields.String(block.Slice(TarFields.Uname, 32)), ref _uname);
            e.Gname = _pax.Gname ?? Cached(TarFields.String(block.Slice(TarFields.Gname, 32)), ref _gname);
        }
        e.Xattrs.AddRange(_pax.Xattrs);

        if (type == TarEntryType.RegularA)
            type = e.NameBytes.EndsWith("/"u8) ? TarEntryType.Directory : TarEntryType.Regular;
        else if (type == TarEntryType.Contiguous)
            type = TarEntryType.Regular;
        e.Type = type;

        if (_pax.Size is { } paxSize)
            size = paxSize;
        bool headerOnly = type is TarEntryType.HardLink or TarEntryType.Symlink or TarEntryType.CharDevice
            or TarEntryType.BlockDevice or TarEntryType.Directory or TarEntryType.Fifo;
        long dataSize = headerOnly ? 0 : size;
        e.Size = dataSize;

        if (type == TarEntryType.GnuSparse)
        {
            if (format != HeaderFormat.Gnu)
                throw Corrupt($"sparse entry \"{e.Name}\" is not in GNU format");
            ReadOldGnuSparseMap(block, e);
            e.Type = TarEntryType.Regular;
        }
        else
            _pos += TarFields.BlockSize;

        _dataRemaining = dataSize;
        _padding = (int)((TarFields.BlockSize - dataSize % TarFields.BlockSize) % TarFields.BlockSize);
        if (type == TarEntryType.Regular)
            ApplyPaxSparse(e);
    }

    static string Cached(ReadOnlySpan<byte> value, ref string last)
    {
        // Layers repeat the same one or two owner names; keep the last one instead of a string per entry.
        if (value.IsEmpty)
            return "";
        if (last.Length == value.Length && Ascii.Equals(value, last))
            return last;
        return last = Encoding.UTF8.GetString(value);
    }

    /// <summary>Reads a metadata entry's data (PAX records, a long name) into a private buffer, with its padding.</summary>
    ReadOnlySpan<byte> ReadMetadata(long size)
    {
        if (size > MaxMetadataSize)
            throw Corrupt($"metadata entry of {size} bytes exceeds the {MaxMetadataSize}-byte limit");
        if (_meta.Length < size)
            _meta = new byte[Math.Max(size, _meta.Length * 2)];
        _dataRemaining = size;
        ReadDataExactly(_meta.AsSpan(0, (int)size));
        _padding = (int)((TarFields.BlockSize - size % TarFields.BlockSize) % TarFields.BlockSize);
        SkipEntry();
        return _meta.AsSpan(0, (int)size);
    }

    static int CopyString(ReadOnlySpan<byte> data, ref byte[] into)
    {
        var value = TarFields.String(data);
        if (into.Length < value.Length)
            into = new byte[value.Length];
        value.CopyTo(into);
        return value.Length;
    }

    /// <summary>PAX records that apply to the next entry.</summary>
    sealed class PaxState
    {
        public byte[]? Path, LinkPath;
        public long? Size, Uid, Gid;
        public string? Uname, Gname;
        public (long, int)? Mtime, Atime;
        public readonly List<TarXattr> Xattrs = [];
        public string? SparseMajor, SparseMinor;
        public byte[]? SparseName;
        public long? SparseRealSize, SparseNumBlocks;
        public readonly List<long> SparseMap = [];
        public bool HasSparseMap;

        public bool IsEmpty => Path is null && LinkPath is null && Size is null && Uid is null && Gid is null && Mtime is null
            && Xattrs.Count == 0 && SparseMajor is null && !HasSparseMap;

        public void Reset()
        {
            Path = LinkPath = SparseName = null;
            Size = Uid = Gid = SparseRealSize = SparseNumBlocks = null;
            Uname = Gname = SparseMajor = SparseMinor = null;
            Mtime = Atime = null;
            Xattrs.Clear();
            SparseMap.Clear();
            HasSparseMap = false;
        }

        public void Parse(ReadOnlySpan<byte> data)
        {
            while (PaxRecords.TryNext(ref data, out var key, out var value))
            {
                if (key.StartsWith("SCHILY.xattr."u8))
                {
                    string name = Encoding.UTF8.GetString(key["SCHILY.xattr."u8.Length..]);
                    Xattrs.RemoveAll(x => x.Name == name);
                    Xattrs.Add(new TarXattr(name, value.ToArray()));
                    continue;
                }
                // An empty value cancels the keyword: the header's field applies again.
                bool empty = value.IsEmpty;
                string k = Encoding.ASCII.GetString(key);
                switch (k)
                {
                    case "path":
                        Path = empty ? null : NoNul(value, k);
                        break;
                    case "linkpath":
                        LinkPath = empty ? null : NoNul(value, k);
                        break;
                    case "size":
                        Size = empty ? null : PaxRecords.ParseInteger(value, k);
                        break;
                    case "uid":
                        Uid = empty ? null : PaxRecords.ParseInteger(value, k);
                        break;
                    case "gid":
                        Gid = empty ? null : PaxRecords.ParseInteger(value, k);
                        break;
                    case "uname":
                        Uname = empty ? null : Encoding.UTF8.GetString(value);
                        break;
                    case "gname":
                        Gname = empty ? null : Encoding.UTF8.GetString(value);
                        break;
                    case "mtime":
                        Mtime = empty ? null : PaxRecords.ParseTime(value, k);
                        break;
                    case "atime":
                        Atime = empty ? null : PaxRecords.ParseTime(value, k);
                        break;
                    case "GNU.sparse.major":
                        SparseMajor = Encoding.ASCII.GetString(value);
                        break;
                    case "GNU.sparse.minor":
                        SparseMinor = Encoding.ASCII.GetString(value);
                        break;
                    case "GNU.sparse.name":
                        SparseName = NoNul(value, k);
                        break;
                    case "GNU.sparse.realsize":
                    case "GNU.sparse.size":
                        SparseRealSize = PaxRecords.ParseInteger(value, k);
                        break;
                    case "GNU.sparse.numblocks":
                        SparseNumBlocks = PaxRecords.ParseInteger(value, k);
                        break;
                    case "GNU.sparse.offset":
                    case "GNU.sparse.numbytes":
                        // Format 0.0 repeats these two in pairs, in order.
                        bool isOffset = k == "GNU.sparse.offset";
                        if ((SparseMap.Count % 2 == 0) != isOffset)
                            throw StoreException.Invalid("invalid GNU sparse 0.0 records (offset and numbytes out of order)");
                        SparseMap.Add(PaxRecords.ParseInteger(value, k));
                        HasSparseMap = true;
                        break;
                    case "GNU.sparse.map":
                        SparseMap.Clear();
                        HasSparseMap = true;
                        foreach (var range in value.Split((byte)','))
                            if (!value[range].IsEmpty)
                                SparseMap.Add(PaxRecords.ParseInteger(value[range], k));
                        break;
                }
            }
        }

        static byte[] NoNul(ReadOnlySpan<byte> value, string key)
            => value.Contains((byte)0) ? throw StoreException.Invalid($"PAX {key} record contains a NUL byte") : value.ToArray();
    }
}
