using System.Text;

namespace Berth.Images.Layers;

/// <summary>The typeflag byte of a tar header (POSIX ustar, PAX and GNU).</summary>
public enum TarEntryType : byte
{
    RegularA = 0,          // '\0': pre-POSIX regular file (a directory when the name ends in '/')
    Regular = (byte)'0',
    HardLink = (byte)'1',
    Symlink = (byte)'2',
    CharDevice = (byte)'3',
    BlockDevice = (byte)'4',
    Directory = (byte)'5',
    Fifo = (byte)'6',
    Contiguous = (byte)'7', // read as a regular file, as GNU tar does
    PaxHeader = (byte)'x',
    PaxGlobalHeader = (byte)'g',
    GnuLongName = (byte)'L',
    GnuLongLink = (byte)'K',
    GnuSparse = (byte)'S',
}

/// <summary>An extended attribute carried by a PAX <c>SCHILY.xattr.&lt;name&gt;</c> record.</summary>
public readonly record struct TarXattr(string Name, byte[] Value);

/// <summary>A stretch of data in a sparse file: everything outside the segments is a hole (zeros).</summary>
public readonly record struct SparseSegment(long Offset, long Length);

/// <summary>
/// One tar entry's metadata, as read by <see cref="TarReader"/> (after PAX, GNU long-name and
/// sparse headers are folded in) or written by <see cref="TarWriter"/>. Names are raw bytes (a
/// Linux file name need not be UTF-8); <see cref="Name"/> is a decoded view for messages. One
/// instance is reused for every entry of an archive, so that reading allocates nothing per entry.
/// </summary>
public sealed class TarEntry
{
    byte[] _name = new byte[256];
    byte[] _link = new byte[256];
    int _nameLength, _linkLength;

    public TarEntryType Type { get; set; }

    /// <summary>Permission, set-id and sticky bits (07777); the file type is <see cref="Type"/>.</summary>
    public uint Mode { get; set; }

    public long Uid { get; set; }

    public long Gid { get; set; }

    /// <summary>Content length: for a regular file its size (a sparse file's whole size, holes included), 0 for the other types.</summary>
    public long Size { get; set; }

    public long MtimeSeconds { get; set; }

    public int MtimeNanoseconds { get; set; }

    /// <summary>The PAX atime, when the archive has one (Docker ignores it unless later than mtime).</summary>
    public long? AtimeSeconds { get; set; }

    public int AtimeNanoseconds { get; set; }

    public uint DevMajor { get; set; }

    public uint DevMinor { get; set; }

    public string Uname { get; set; } = "";

    public string Gname { get; set; } = "";

    public List<TarXattr> Xattrs { get; } = [];

    /// <summary>The data segments of a sparse entry (its data in the archive is their concatenation); empty for a dense one.</summary>
    public List<SparseSegment> Sparse { get; } = [];

    public bool IsSparse => Sparse.Count > 0 || (SparseMapRead && Size > 0);

    /// <summary>True when the entry came with a sparse map, even an empty one (a file that is one hole).</summary>
    internal bool SparseMapRead { get; set; }

    public ReadOnlySpan<byte> NameBytes => _name.AsSpan(0, _nameLength);

    public ReadOnlySpan<byte> LinkNameBytes => _link.AsSpan(0, _linkLength);

    public string Name
    {
        get => Encoding.UTF8.GetString(NameBytes);
        set => SetName(Encoding.UTF8.GetBytes(value));
    }

    public string LinkName
    {
        get => Encoding.UTF8.GetString(LinkNameBytes);
        set => SetLinkName(Encoding.UTF8.GetBytes(value));
    }

    public bool IsDirectory => Type == TarEntryType.Directory;

    /// <summary>Whether the entry has data in the archive (regular files; hard links and the rest have none).</summary>
    public bool IsRegularFile => Type is TarEntryType.Regular or TarEntryType.RegularA or TarEntryType.Contiguous or TarEntryType.GnuSparse;

    public void SetName(ReadOnlySpan<byte> name) => Set(ref _name, ref _nameLength, name);

    public void SetLinkName(ReadOnlySpan<byte> name) => Set(ref _link, ref _linkLength, name);

    /// <summary>Appends to the name (a directory's trailing slash, a path built in place).</summary>
    internal void AppendName(ReadOnlySpan<byte> suffix)
    {
        if (_nameLength + suffix.Length > _name.Length)
            Array.Resize(ref _name, Math.Max(_name.Length * 2, _nameLength + suffix.Length));
        suffix.CopyTo(_name.AsSpan(_nameLength));
        _nameLength += suffix.Length;
    }

    static void Set(ref byte[] buffer, ref int length, ReadOnlySpan<byte> value)
    {
        if (value.Length > buffer.Length)
            buffer = new byte[Math.Max(value.Length, buffer.Length * 2)];
        value.CopyTo(buffer);
        length = value.Length;
    }

    /// <summary>Clears every field for the next entry.</summary>
    public void Reset()
    {
        Type = TarEntryType.Regular;
        Mode = 0;
        Uid = Gid = 0;
        Size = 0;
        MtimeSeconds = 0;
        MtimeNanoseconds = 0;
        AtimeSeconds = null;
        AtimeNanoseconds = 0;
        DevMajor = DevMinor = 0;
        Uname = Gname = "";
        Xattrs.Clear();
        Sparse.Clear();
        SparseMapRead = false;
        _nameLength = _linkLength = 0;
    }

    public override string ToString() => $"{(char)Type} {Name}";
}
