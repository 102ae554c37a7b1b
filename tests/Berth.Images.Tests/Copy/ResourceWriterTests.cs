using System.Text;
using Berth.Images.Copy;
using Berth.Images.Layers;
using Berth.Images.Tests.Layers;
using Berth.Linux;

namespace Berth.Images.Tests.Copy;

/// <summary>The tar of one resource for docker cp: named as the copy wants, the resource itself first, nothing followed.</summary>
public sealed class ResourceWriterTests : IDisposable
{
    readonly ScratchDir _scratch = new();

    public void Dispose() => _scratch.Dispose();

    string Tree()
    {
        string root = _scratch.Dir("tree");
        Directory.CreateDirectory(Path.Combine(root, "dir/sub"));
        File.WriteAllText(Path.Combine(root, "dir/a"), "alpha");
        File.WriteAllText(Path.Combine(root, "dir/sub/b"), "beta");
        File.CreateSymbolicLink(Path.Combine(root, "dir/link"), "/outside");
        Assert.Equal(0, FilesAt.Link(-100, Encoding.UTF8.GetBytes(Path.Combine(root, "dir/a")), -100, Encoding.UTF8.GetBytes(Path.Combine(root, "dir/a-again"))));
        return root;
    }

    List<string> Write(string directory, string name, string entryName)
    {
        int fd = FilesAt.Open(-100, Encoding.UTF8.GetBytes(directory), OpenFlags.ReadOnly | OpenFlags.Directory);
        Assert.True(fd >= 0);
        var output = new MemoryStream();
        try
        {
            ResourceWriter.Write(fd, Encoding.UTF8.GetBytes(name), Encoding.UTF8.GetBytes(entryName), output);
        }
        finally
        {
            FilesAt.Close(fd);
        }
        output.Position = 0;
        using var reader = new TarReader(output);
        var names = new List<string>();
        while (reader.Next() is { } e)
            names.Add(e.Type switch
            {
                TarEntryType.Symlink => $"{e.Name} -> {e.LinkName}",
                TarEntryType.HardLink => $"{e.Name} => {e.LinkName}",
                _ => e.Name,
            });
        return names;
    }

    [Fact]
    public void A_directory_comes_first_and_everything_below_it_under_the_new_name()
    {
        string root = Tree();
        Assert.Equal(["renamed/", "renamed/a", "renamed/a-again => renamed/a", "renamed/link -> /outside", "renamed/sub/", "renamed/sub/b"],
            Write(root, "dir", "renamed"));
    }

    [Fact]
    public void The_directory_itself_as_dot_gives_dot_names_and_the_root_gives_slash_names()
    {
        string dir = Path.Combine(Tree(), "dir", "sub");
        Assert.Equal(["./", "./b"], Write(dir, ".", "."));
        Assert.Equal(["/", "/b"], Write(dir, ".", "/"));
    }

    [Fact]
    public void A_file_or_a_symlink_is_one_entry_and_a_symlink_is_not_followed()
    {
        string dir = Path.Combine(Tree(), "dir");
        Assert.Equal(["b"], Write(Path.Combine(dir, "sub"), "b", "b"));
        Assert.Equal(["link -> /outside"], Write(dir, "link", "link"));
    }

    [Fact]
    public void A_missing_resource_is_not_found()
    {
        var e = Assert.Throws<StoreException>(() => Write(Tree(), "nothing", "nothing"));
        Assert.Equal(StoreErrorKind.NotFound, e.Kind);
    }
}
