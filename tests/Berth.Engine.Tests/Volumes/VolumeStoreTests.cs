using Berth.Engine.Containers;
using Berth.Engine.Events;
using Berth.Engine.Volumes;

namespace Berth.Engine.Tests.Volumes;

/// <summary>The store and the service on a temporary directory, with a container store that has no containers.</summary>
public sealed class VolumeStoreTests : IDisposable
{
    readonly string _root = Path.Combine(Path.GetTempPath(), "berth-volume-test-" + Guid.NewGuid().ToString("N")[..12]);
    readonly List<string> _log = [];

    VolumeService Open(EventBus? events = null)
    {
        var containers = new ContainerStore(Path.Combine(_root, "containers"));
        return VolumeService.Open(Path.Combine(_root, "volumes"), containers, events ?? new EventBus(), _log.Add);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void A_created_volume_has_its_data_directory_and_survives_a_reopen()
    {
        var service = Open();
        var v = service.Create("data", null, null, new() { ["team"] = "a" });
        Assert.True(Directory.Exists(Path.Combine(_root, "volumes", "data", "_data")));
        Assert.Same(v, service.Create("data", "local", null, null));
        service.Dispose(unmount: false);

        var again = Open();
        var read = again.Get("data");
        Assert.Equal("a", read.Labels!["team"]);
        Assert.Equal(v.CreatedAt.ToUnixTimeSeconds(), read.CreatedAt.ToUnixTimeSeconds());
        again.Dispose(unmount: false);
    }

    [Fact]
    public void Bad_names_options_and_drivers_leave_nothing_behind()
    {
        var service = Open();
        Assert.Contains("includes invalid characters", Assert.Throws<EngineException>(() => service.Create("../x", null, null, null)).Message);
        Assert.Equal("create opt: invalid option key: \"foo\"", Assert.Throws<EngineException>(() => service.Create("opt", null, new() { ["foo"] = "1" }, null)).Message);
        Assert.Equal("create opt: missing required option: \"device\"", Assert.Throws<EngineException>(() => service.Create("opt", null, new() { ["type"] = "tmpfs" }, null)).Message);
        Assert.Equal(EngineErrorKind.NotFound, Assert.Throws<EngineException>(() => service.Create("opt", "nfs-plugin", null, null)).Kind);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(_root, "volumes")));
        service.Dispose(unmount: false);
    }

    [Fact]
    public void Remove_publishes_destroy_and_a_missing_volume_is_not_found_unless_forced()
    {
        var events = new EventBus();
        var service = Open(events);
        service.Create("gone", null, null, null);
        File.WriteAllText(Path.Combine(service.Store.DataPath("gone"), "f"), "x");
        service.Remove("gone", force: false);
        Assert.False(Directory.Exists(Path.Combine(_root, "volumes", "gone")));
        var e = Assert.Throws<EngineException>(() => service.Remove("gone", force: false));
        Assert.Equal(("get gone: no such volume", EngineErrorKind.NotFound), (e.Message, e.Kind));
        service.Remove("gone", force: true);
        service.Dispose(unmount: false);
    }

    [Fact]
    public void Leftovers_of_an_interrupted_create_or_remove_are_cleared_on_open()
    {
        Directory.CreateDirectory(Path.Combine(_root, "volumes", ".new-0123", "_data"));
        Directory.CreateDirectory(Path.Combine(_root, "volumes", ".gone-4567", "_data"));
        var service = Open();
        Assert.Empty(service.All());
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(_root, "volumes")));
        service.Dispose(unmount: false);
    }

    [Fact]
    public void Prune_takes_only_anonymous_volumes_unless_all_and_honours_labels()
    {
        var service = Open();
        service.Create("named", null, null, new() { ["keep"] = "yes" });
        service.Create("other", null, null, null);
        service.Create("anon1", null, null, new() { [VolumeNames.AnonymousLabel] = "" });
        var (deleted, _) = service.Prune(Filters.Empty, anonymousOnly: true);
        Assert.Equal(["anon1"], deleted);
        var labelled = Filters.Parse("{\"label!\":{\"keep\":true}}", VolumeService.PruneFilters);
        Assert.Equal(["other"], service.Prune(labelled, anonymousOnly: false).Deleted);
        Assert.Equal(["named"], service.All().Select(v => v.Name));
        service.Dispose(unmount: false);
    }

    [Fact]
    public void List_filters_by_name_pattern_label_and_dangling()
    {
        var service = Open();
        service.Create("web-data", null, null, new() { ["tier"] = "web" });
        service.Create("db-data", null, null, null);
        Assert.Equal(["web-data"], service.List(Filters.Parse("{\"name\":{\"^web\":true}}", VolumeService.ListFilters)).Select(v => v.Name));
        Assert.Equal(["web-data"], service.List(Filters.Parse("{\"label\":{\"tier=web\":true}}", VolumeService.ListFilters)).Select(v => v.Name));
        Assert.Equal(2, service.List(Filters.Parse("{\"dangling\":{\"true\":true}}", VolumeService.ListFilters)).Count);
        Assert.Empty(service.List(Filters.Parse("{\"dangling\":{\"false\":true}}", VolumeService.ListFilters)));
        service.Dispose(unmount: false);
    }

    [Fact]
    public void Copy_up_keeps_content_owners_modes_and_symlinks()
    {
        string image = Path.Combine(_root, "image");
        string data = Path.Combine(image, "srv", "data");
        Directory.CreateDirectory(Path.Combine(data, "sub"));
        File.WriteAllText(Path.Combine(data, "sub", "hello"), "hi");
        File.SetUnixFileMode(Path.Combine(data, "sub", "hello"), UnixFileMode.UserRead | UnixFileMode.UserExecute);
        File.CreateSymbolicLink(Path.Combine(data, "link"), "sub/hello");
        Berth.Linux.Files.Chown(data, 1234, 5678);
        File.SetUnixFileMode(data, (UnixFileMode)Convert.ToInt32("750", 8));
        string volume = Path.Combine(_root, "vol");
        Directory.CreateDirectory(volume);

        VolumeCopyUp.Copy(image, "/srv/data", volume);

        Assert.Equal("hi", File.ReadAllText(Path.Combine(volume, "sub", "hello")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.Combine(volume, "sub", "hello")));
        Assert.Equal("sub/hello", new FileInfo(Path.Combine(volume, "link")).LinkTarget);
        var status = Berth.Linux.FileStatus.Of(volume, followSymlinks: false);
        Assert.Equal((1234u, 5678u, Convert.ToUInt32("750", 8)), (status.Uid, status.Gid, status.Permissions));
    }

    [Fact]
    public void Copy_up_does_not_follow_a_symlink_out_of_the_root()
    {
        string image = Path.Combine(_root, "image2");
        Directory.CreateDirectory(image);
        File.CreateSymbolicLink(Path.Combine(image, "data"), "/etc");
        string volume = Path.Combine(_root, "vol2");
        Directory.CreateDirectory(volume);
        VolumeCopyUp.Copy(image, "/data", volume);
        Assert.Empty(Directory.EnumerateFileSystemEntries(volume));
    }
}
