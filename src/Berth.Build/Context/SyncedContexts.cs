using System.Security.Cryptography;

namespace Berth.Build.Context;

/// <summary>What berthd answers a client's manifest: the session to build with, and the entries whose files it must send.</summary>
/// <param name="Needed">Indexes into the manifest's entries, ascending: the regular files the daemon has no current copy of.</param>
public sealed record ContextOffer(string Session, IReadOnlyList<int> Needed)
{
    /// <summary>The answer's JSON: <c>{"Session": "...", "Needed": [0, 4, ...]}</c>.</summary>
    public byte[] ToJson()
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(64 + Needed.Count * 4);
        using (var writer = new System.Text.Json.Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("Session", Session);
            writer.WriteStartArray("Needed");
            foreach (int i in Needed)
                writer.WriteNumberValue(i);
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <exception cref="System.Text.Json.JsonException">Not such an answer.</exception>
    public static ContextOffer FromJson(ReadOnlyMemory<byte> json)
    {
        using var document = System.Text.Json.JsonDocument.Parse(json);
        var root = document.RootElement;
        string session = root.GetProperty("Session").GetString() ?? throw new System.Text.Json.JsonException("Session is null");
        return new ContextOffer(session, [.. root.GetProperty("Needed").EnumerateArray().Select(e => e.GetInt32())]);
    }
}

/// <summary>
/// Contexts kept between builds, so that a client that builds the same directory again sends only what changed (as
/// BuildKit's local sources are kept under a shared key). A client names its directory by a key; the daemon keeps
/// up to a few trees ("slots") per key, each with the manifest it was last brought to and its files' digests.
/// <see cref="Offer"/> takes a new manifest, reserves a slot and answers which files the slot lacks (new, or
/// changed: another size, mode, owner, mtime or inode); <see cref="Receive"/> then takes the tar of those files
/// (with every directory and symlink), removes from the slot what the manifest no longer has, applies the tar, and
/// gives a <see cref="BuildContext"/> over the slot, which stays the build's alone until disposed. Slots live in
/// memory and under one directory; the least recently used idle ones go when there are too many or they hold too
/// much. A slot whose update failed is dropped, never reused.
/// </summary>
public sealed class SyncedContexts
{
    sealed class Slot(string key, string root)
    {
        public string Key { get; } = key;
        public string Root { get; } = root;
        public List<ContextEntry> Entries { get; set; } = [];
        public ContextDigests Digests { get; } = new();
        public long Bytes { get; set; }
        public long LastUsed { get; set; }

        /// <summary>Counts the changes of the tree: with the slot's random directory name, the tree's identity.</summary>
        public long Generation { get; set; }

        // Reserved by an offer: its session, until when, and what it offered.
        public string? Session { get; set; }
        public DateTimeOffset ReservedUntil { get; set; }
        public ContextManifest? Pending { get; set; }
        public IReadOnlyList<int> PendingNeeded { get; set; } = [];

        /// <summary>In use by a build.</summary>
        public bool Busy { get; set; }

        public bool IsIdle(DateTimeOffset now) => !Busy && (Session is null || ReservedUntil <= now);
    }

    readonly object _lock = new();
    readonly List<Slot> _slots = [];
    readonly TimeProvider _time;
    long _clock;

    public SyncedContexts(string directory, int maxSlots = 8, long maxBytes = 2L << 30, TimeSpan? reservation = null, TimeProvider? time = null)
    {
        Directory = directory;
        MaxSlots = maxSlots;
        MaxBytes = maxBytes;
        Reservation = reservation ?? TimeSpan.FromMinutes(5);
        _time = time ?? TimeProvider.System;
    }

    public string Directory { get; }

    public int MaxSlots { get; }

    /// <summary>What the idle slots may hold together (their regular files' sizes).</summary>
    public long MaxBytes { get; }

    /// <summary>How long an offer keeps its slot for the build that is to follow.</summary>
    public TimeSpan Reservation { get; }

    /// <summary>The slots kept (idle, reserved or building).</summary>
    public int Count
    {
        get
        {
            lock (_lock)
                return _slots.Count;
        }
    }

    /// <summary>Reserves a slot of <paramref name="key"/> for <paramref name="manifest"/> and says which files it lacks.</summary>
    public ContextOffer Offer(string key, ContextManifest manifest)
    {
        var now = _time.GetUtcNow();
        List<Slot> evicted;
        ContextOffer offer;
        lock (_lock)
        {
            // The slot this key used last is the likeliest to hold the same files.
            var slot = _slots.Where(s => s.Key == key && s.IsIdle(now)).MaxBy(s => s.LastUsed);
            if (slot is null)
            {
                slot = new Slot(key, Path.Combine(Directory, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))));
                _slots.Add(slot);
            }
            var before = new Dictionary<string, ContextEntry>(slot.Entries.Count, StringComparer.Ordinal);
            foreach (var e in slot.Entries)
                before[e.Path] = e;
            var needed = new List<int>();
            for (int i = 0; i < manifest.Entries.Count; i++)
            {
                var e = manifest.Entries[i];
                if (e.IsRegularFile && !(before.TryGetValue(e.Path, out var old) && e.SameFileAs(old) && slot.Digests.TryGet(e.Path, out _)))
                    needed.Add(i);
            }
            slot.Session = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
            slot.ReservedUntil = now + Reservation;
            slot.Pending = manifest;
            slot.PendingNeeded = needed;
            slot.LastUsed = ++_clock;
            offer = new ContextOffer(slot.Session, needed);
            evicted = Evict(now);
        }
        Remove(evicted);
        return offer;
    }

    /// <summary>
    /// Brings the slot an offer reserved up to its manifest with <paramref name="delta"/> (the tar of what was
    /// needed) and returns the context over it; disposing the context gives the slot back.
    /// </summary>
    /// <exception cref="BuildContextException">An unknown or expired session, a delta that is no tar or lacks a needed file, or no Dockerfile.</exception>
    public BuildContext Receive(string session, Stream delta, string? dockerfile)
    {
        Slot slot;
        ContextManifest next;
        IReadOnlyList<int> needed;
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            slot = _slots.FirstOrDefault(s => s.Session == session && !s.Busy && s.ReservedUntil > now)
                ?? throw new BuildContextException($"build context session {session} is unknown or has expired: build again to send the whole context");
            next = slot.Pending!;
            needed = slot.PendingNeeded;
            slot.Session = null;
            slot.Pending = null;
            slot.Busy = true;
        }
        try
        {
            System.IO.Directory.CreateDirectory(slot.Root);
            // The tree stays what it was only when nothing is removed, sent, or taken out as ignored.
            if (RemoveGone(slot, next) || needed.Count > 0 || slot.Generation == 0)
                slot.Generation++;
            foreach (int i in needed)
                slot.Digests.Forget(next.Entries[i].Path);
            using (var tar = BuildContext.Open(delta, out bool isTar))
            {
                if (!isTar)
                    throw new BuildContextException("the build context update is not a tar archive");
                BuildContext.Extract(tar, slot.Root, slot.Digests);
            }
            foreach (int i in needed)
            {
                if (!slot.Digests.TryGet(next.Entries[i].Path, out _))
                    throw new BuildContextException($"the build context update lacks {next.Entries[i].Path}, which it was to send");
            }
            lock (_lock)
            {
                slot.Entries = next.Entries;
                slot.Bytes = next.Entries.Where(e => e.IsRegularFile).Sum(e => e.Size);
            }
        }
        catch
        {
            Drop(slot); // half updated: its tree no longer matches any manifest
            throw;
        }
        var removed = new List<string>();
        BuildContext context;
        try
        {
            context = BuildContext.OfTree(slot.Root, slot.Digests, dockerfile, () => Release(slot), removed, $"{Path.GetFileName(slot.Root)}:{slot.Generation}");
        }
        catch (BuildContextException e) when (e.IsUserError && removed.Count == 0)
        {
            Release(slot); // no Dockerfile: the user's mistake, the tree is whole and stays for the next build
            throw;
        }
        catch
        {
            Drop(slot);
            throw;
        }
        if (removed.Count > 0)
        {
            lock (_lock)
            {
                slot.Entries = [.. next.Entries.Where(e => !removed.Contains(e.Path))];
                slot.Generation++; // the next build gets them back: another tree than this build's
            }
        }
        return context;
    }

    void Drop(Slot slot)
    {
        lock (_lock)
            _slots.Remove(slot);
        Remove([slot]);
    }

    /// <summary>Removes every idle slot and its tree (<c>docker builder prune</c>); what their files held, in bytes.</summary>
    public long Clear()
    {
        List<Slot> idle;
        var now = _time.GetUtcNow();
        lock (_lock)
        {
            idle = [.. _slots.Where(s => s.IsIdle(now))];
            _slots.RemoveAll(idle.Contains);
        }
        Remove(idle);
        return idle.Sum(s => s.Bytes);
    }

    /// <summary>What the slot holds that the next manifest has not, or has as another type, is removed (deepest first); whether anything was.</summary>
    static bool RemoveGone(Slot slot, ContextManifest next)
    {
        if (slot.Entries.Count == 0)
            return false;
        bool removed = false;
        var types = new Dictionary<string, uint>(next.Entries.Count, StringComparer.Ordinal);
        foreach (var e in next.Entries)
            types[e.Path] = e.Mode & 0xF000;
        for (int i = slot.Entries.Count - 1; i >= 0; i--)
        {
            var old = slot.Entries[i];
            if (types.TryGetValue(old.Path, out uint type) && type == (old.Mode & 0xF000))
                continue;
            BuildContext.RemoveInRoot(slot.Root, old.Path);
            slot.Digests.Forget(old.Path);
            removed = true;
        }
        return removed;
    }

    void Release(Slot slot)
    {
        List<Slot> evicted;
        lock (_lock)
        {
            slot.Busy = false;
            slot.LastUsed = ++_clock;
            evicted = Evict(_time.GetUtcNow());
        }
        Remove(evicted);
    }

    /// <summary>The least recently used idle slots beyond the limits, taken out of the list (under the lock).</summary>
    List<Slot> Evict(DateTimeOffset now)
    {
        var evicted = new List<Slot>();
        foreach (var slot in _slots.Where(s => s.IsIdle(now)).OrderBy(s => s.LastUsed).ToList())
        {
            long bytes = _slots.Where(s => s.IsIdle(now)).Sum(s => s.Bytes);
            if (_slots.Count <= MaxSlots && bytes <= MaxBytes)
                break;
            _slots.Remove(slot);
            evicted.Add(slot);
        }
        return evicted;
    }

    static void Remove(List<Slot> slots)
    {
        foreach (var slot in slots)
        {
            slot.Digests.Dispose();
            if (System.IO.Directory.Exists(slot.Root))
                BuildContext.RemoveTree(slot.Root);
        }
    }
}
