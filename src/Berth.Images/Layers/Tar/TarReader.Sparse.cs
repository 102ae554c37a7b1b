namespace Berth.Images.Layers;

public sealed partial class TarReader
{
    /// <summary>
    /// Old GNU sparse ('S', what <c>tar --format=gnu -S</c> writes): four map entries in the header,
    /// more in extension blocks that follow it, the whole size in the header's realsize field.
    /// </summary>
    void ReadOldGnuSparseMap(ReadOnlySpan<byte> block, TarEntry e)
    {
        if (!TarFields.TryParseNumber(block.Slice(TarFields.GnuRealSize, 12), out long realSize) || realSize < 0)
            throw Corrupt($"invalid sparse size of entry \"{e.Name}\"");
        long archived = e.Size;
        bool extended = ParseSparseEntries(block.Slice(TarFields.GnuSparse, 4 * 24), block[TarFields.GnuIsExtended] != 0, e);
        _pos += TarFields.BlockSize;
        while (extended)
        {
            // Extension blocks: 21 entries and an isextended flag; they are not counted in the size.
            if (!Fill(TarFields.BlockSize))
                throw Truncated();
            var ext = _buffer.AsSpan(_pos, TarFields.BlockSize);
            extended = ParseSparseEntries(ext[..(21 * 24)], ext[504] != 0, e);
            _pos += TarFields.BlockSize;
        }
        e.SparseMapRead = true;
        e.Size = realSize;
        CheckSparseMap(e, archived);
    }

    bool ParseSparseEntries(ReadOnlySpan<byte> entries, bool extended, TarEntry e)
    {
        for (int i = 0; i + 24 <= entries.Length; i += 24)
        {
            // An entry starting with NUL ends the list, as in GNU and BSD tar.
            if (entries[i] == 0)
                break;
            if (!TarFields.TryParseNumber(entries.Slice(i, 12), out long offset)
                || !TarFields.TryParseNumber(entries.Slice(i + 12, 12), out long length))
                throw Corrupt($"invalid sparse map of entry \"{e.Name}\"");
            e.Sparse.Add(new SparseSegment(offset, length));
        }
        return extended;
    }

    /// <summary>PAX sparse formats 0.0 and 0.1 (map in records) and 1.0 (map at the start of the data).</summary>
    void ApplyPaxSparse(TarEntry e)
    {
        var pax = _pax;
        bool v1 = pax.SparseMajor == "1" && pax.SparseMinor == "0";
        bool v0 = (pax.SparseMajor == "0" && pax.SparseMinor is "0" or "1") || (pax.SparseMajor is null && pax.HasSparseMap);
        if (!v0 && !v1)
            return;
        if (pax.SparseName is not null)
            e.SetName(pax.SparseName);
        long archived = e.Size;
        if (v1)
        {
            archived -= ReadSparseMap1x0(e);
        }
        else
        {
            if (pax.SparseMap.Count % 2 != 0 || (pax.SparseNumBlocks is { } n && n * 2 != pax.SparseMap.Count))
                throw Corrupt($"invalid GNU sparse map of entry \"{e.Name}\"");
            for (int i = 0; i < pax.SparseMap.Count; i += 2)
                e.Sparse.Add(new SparseSegment(pax.SparseMap[i], pax.SparseMap[i + 1]));
        }
        e.SparseMapRead = true;
        e.Size = pax.SparseRealSize ?? e.Size;
        CheckSparseMap(e, archived);
    }

    /// <summary>
    /// Format 1.0: decimal numbers, one per line (count, then offset and length pairs), padded to a
    /// whole block, at the start of the entry's data. Returns the bytes it took.
    /// </summary>
    long ReadSparseMap1x0(TarEntry e)
    {
        long start = _dataRemaining;
        long count = ReadSparseNumber(e);
        if (count < 0 || count > MaxMetadataSize / 2)
            throw Corrupt($"invalid GNU sparse map of entry \"{e.Name}\"");
        for (long i = 0; i < count; i++)
        {
            long offset = ReadSparseNumber(e);
            long length = ReadSparseNumber(e);
            e.Sparse.Add(new SparseSegment(offset, length));
        }
        // The map is padded with zeros to a block boundary.
        long used = start - _dataRemaining;
        long pad = (TarFields.BlockSize - used % TarFields.BlockSize) % TarFields.BlockSize;
        while (pad > 0)
        {
            var chunk = ReadData((int)pad);
            if (chunk.IsEmpty)
                throw Truncated();
            pad -= chunk.Length;
        }
        return start - _dataRemaining;
    }

    long ReadSparseNumber(TarEntry e)
    {
        long value = 0;
        int digits = 0;
        while (true)
        {
            var b = ReadData(1);
            if (b.IsEmpty)
                throw Truncated();
            if (b[0] == '\n')
                break;
            if (b[0] < '0' || b[0] > '9' || ++digits > 18)
                throw Corrupt($"invalid GNU sparse map of entry \"{e.Name}\"");
            value = value * 10 + (b[0] - '0');
        }
        if (digits == 0)
            throw Corrupt($"invalid GNU sparse map of entry \"{e.Name}\"");
        return value;
    }

    /// <summary>Segments must be ordered, disjoint, inside the file, and add up to the data in the archive.</summary>
    void CheckSparseMap(TarEntry e, long archived)
    {
        long end = 0, total = 0;
        foreach (var s in e.Sparse)
        {
            if (s.Offset < end || s.Length < 0 || s.Offset > e.Size - s.Length)
                throw Corrupt($"invalid sparse map of entry \"{e.Name}\"");
            end = s.Offset + s.Length;
            total += s.Length;
        }
        if (total != archived)
            throw Corrupt($"sparse map of entry \"{e.Name}\" describes {total} bytes but the archive holds {archived}");
    }
}
