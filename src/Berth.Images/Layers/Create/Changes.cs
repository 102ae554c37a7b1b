namespace Berth.Images.Layers;

/// <summary>The kinds of <c>docker diff</c> (the Engine API's numbers: 0 modified, 1 added, 2 deleted).</summary>
public enum ChangeKind
{
    Modified = 0,
    Added = 1,
    Deleted = 2,
}

/// <summary>One line of <c>docker diff</c>: a path ("/etc/passwd") and what happened to it.</summary>
public readonly record struct Change(string Path, ChangeKind Kind)
{
    public override string ToString() => $"{Kind switch { ChangeKind.Added => 'A', ChangeKind.Deleted => 'D', _ => 'C' }} {Path}";
}
