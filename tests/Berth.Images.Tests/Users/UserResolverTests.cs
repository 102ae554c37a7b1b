using Berth.Images.Users;

namespace Berth.Images.Tests.Users;

/// <summary>--user resolved in the container's own /etc/passwd and /etc/group.</summary>
public sealed class UserResolverTests : IDisposable
{
    readonly string _root = Directory.CreateTempSubdirectory("berth-test-users-").FullName;

    public UserResolverTests()
    {
        Directory.CreateDirectory(Path.Combine(_root, "etc"));
        File.WriteAllText(Path.Combine(_root, "etc/passwd"), "root:x:0:0:root:/root:/bin/sh\nweb:x:1000:1001:web:/home/web:/bin/sh\n");
        File.WriteAllText(Path.Combine(_root, "etc/group"), "root:x:0:\nstaff:x:50:web\nweb:x:1001:\naudio:x:29:\n");
    }

    [Fact]
    public void Names_resolve_with_their_group_and_memberships()
    {
        var user = UserResolver.Resolve(_root, "web", null);
        Assert.Equal((1000u, 1001u), (user.Uid, user.Gid));
        Assert.Equal([50u], user.AdditionalGids);
        Assert.Equal("/home/web", user.Home);
    }

    [Fact]
    public void Numeric_ids_need_no_entry_and_group_add_adds_groups()
    {
        var user = UserResolver.Resolve(_root, "4242:audio", ["staff", "7"]);
        Assert.Equal((4242u, 29u), (user.Uid, user.Gid));
        Assert.Equal([50u, 7u], user.AdditionalGids);
    }

    [Fact]
    public void Unknown_names_are_docker_s_errors()
    {
        Assert.Equal("unable to find user ghost: no matching entries in passwd file", Assert.Throws<StoreException>(() => UserResolver.Resolve(_root, "ghost", null)).Message);
        Assert.Equal("unable to find group ghosts: no matching entries in group file", Assert.Throws<StoreException>(() => UserResolver.Resolve(_root, "web:ghosts", null)).Message);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Chown_lookups_take_numbers_as_they_are_and_names_from_the_files()
    {
        IEnumerable<string> Read(string name) => File.ReadLines(Path.Combine(_root, name));
        Assert.Equal(1000u, UserResolver.LookupUser(Read, "web"));
        Assert.Equal(4242u, UserResolver.LookupUser(Read, "4242"));
        Assert.Equal(50u, UserResolver.LookupGroup(Read, "staff"));
        Assert.Equal("no such user: ghost", Assert.Throws<StoreException>(() => UserResolver.LookupUser(Read, "ghost")).Message);
        Assert.Equal("no such group: ghosts", Assert.Throws<StoreException>(() => UserResolver.LookupGroup(Read, "ghosts")).Message);
    }
}
