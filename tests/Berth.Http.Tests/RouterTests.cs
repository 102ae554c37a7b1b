using System.Text;
using Berth.Http;

namespace Berth.Http.Tests;

public class RouterTests
{
    static Router DockerLikeRoutes()
    {
        var router = new Router();
        RequestHandler describe(string name) => context =>
        {
            var values = string.Join(",", context.RouteValues.OrderBy(v => v.Key).Select(v => $"{v.Key}={v.Value}"));
            return context.Response.WriteAsync($"{name} [{values}] v={context.ApiVersion ?? "-"}");
        };
        router.Map("GET", "/_ping", describe("ping"));
        router.Map("GET", "/containers/json", describe("list"));
        router.Map("GET", "/containers/{id}/json", describe("inspect"));
        router.Map("GET", "/images/json", describe("images"));
        router.Map("GET", "/images/{name*}/json", describe("image-inspect"));
        router.Map("GET", "/images/{name*}/history", describe("history"));
        router.Map("DELETE", "/images/{name*}", describe("image-delete"));
        router.Map("POST", "/images/{name*}/tag", describe("tag"));
        router.Map("GET", "/volumes", describe("volumes"));
        router.Map("GET", "/volumes/{name}", describe("volume"));
        router.Map("GET", "/plugins/{name*}/json", describe("plugin"));
        router.Map("HEAD", "/headonly", describe("head"));
        return router;
    }

    [Theory]
    [InlineData("GET", "/_ping", "ping [] v=-")]
    [InlineData("GET", "/v1.45/_ping", "ping [] v=1.45")]
    [InlineData("GET", "/v1.24/containers/json", "list [] v=1.24")]
    [InlineData("GET", "/containers/abc123/json", "inspect [id=abc123] v=-")]
    [InlineData("GET", "/v1.45/containers/abc123/json", "inspect [id=abc123] v=1.45")]
    [InlineData("GET", "/images/json", "images [] v=-")]
    [InlineData("GET", "/images/busybox/json", "image-inspect [name=busybox] v=-")]
    [InlineData("GET", "/v1.45/images/localhost:5000/library/busybox:1.36/json", "image-inspect [name=localhost:5000/library/busybox:1.36] v=1.45")]
    [InlineData("GET", "/images/a%2Fb/json", "image-inspect [name=a/b] v=-")]
    [InlineData("GET", "/images/sha256:0123/history", "history [name=sha256:0123] v=-")]
    [InlineData("GET", "/images/json/json", "image-inspect [name=json] v=-")]
    [InlineData("GET", "/images/a/json/json", "image-inspect [name=a/json] v=-")]
    [InlineData("DELETE", "/v1.41/images/registry.example/team/app:tag", "image-delete [name=registry.example/team/app:tag] v=1.41")]
    [InlineData("POST", "/images/ubuntu/tag", "tag [name=ubuntu] v=-")]
    [InlineData("GET", "/volumes", "volumes [] v=-")]
    [InlineData("GET", "/volumes/v1", "volume [name=v1] v=-")]
    [InlineData("GET", "/v1.45/volumes/v1.2", "volume [name=v1.2] v=1.45")]
    [InlineData("GET", "/plugins/vieux/sshfs:latest/json", "plugin [name=vieux/sshfs:latest] v=-")]
    public async Task Routes_match_as_dockerds(string method, string target, string expected)
    {
        await using var server = await TestServer.StartAsync(DockerLikeRoutes());
        await using var client = await server.ConnectAsync();
        await client.SendAsync($"{method} {target} HTTP/1.1\r\nHost: b\r\n\r\n");
        var response = await client.ReadResponseAsync();
        Assert.Equal(200, response.Status);
        Assert.Equal(expected, response.Text);
    }

    [Theory]
    [InlineData("GET", "/nope")]
    [InlineData("GET", "/v1.45/nope")]
    [InlineData("POST", "/_ping")]
    [InlineData("GET", "/containers//json")]
    [InlineData("GET", "/images//json")]
    [InlineData("GET", "/containers/json/")]
    [InlineData("GET", "/v1.45")]
    [InlineData("GET", "/vx/_ping")]
    [InlineData("GET", "/headonly")]
    public async Task No_match_is_dockerds_404(string method, string target)
    {
        await using var server = await TestServer.StartAsync(DockerLikeRoutes());
        await using var client = await server.ConnectAsync();
        await client.SendAsync($"{method} {target} HTTP/1.1\r\nHost: b\r\n\r\n");
        var response = await client.ReadResponseAsync();
        Assert.Equal(404, response.Status);
        Assert.Equal("application/json", response.Header("Content-Type"));
        Assert.Equal("{\"message\":\"page not found\"}\n", response.Text);
    }

    [Fact]
    public async Task HEAD_falls_back_to_GET_and_sends_no_body()
    {
        await using var server = await TestServer.StartAsync(DockerLikeRoutes());
        await using var client = await server.ConnectAsync();
        await client.SendAsync("HEAD /v1.45/_ping HTTP/1.1\r\nHost: b\r\n\r\n");
        var head = await client.ReadResponseAsync(head: true);
        Assert.Equal(200, head.Status);
        Assert.Equal(Encoding.UTF8.GetByteCount("ping [] v=1.45").ToString(), head.Header("Content-Length"));
        await client.SendAsync("HEAD /headonly HTTP/1.1\r\nHost: b\r\n\r\n");
        Assert.Equal(200, (await client.ReadResponseAsync(head: true)).Status);
        await client.SendAsync("GET /_ping HTTP/1.1\r\nHost: b\r\n\r\n");
        Assert.Equal("ping [] v=-", (await client.ReadResponseAsync()).Text);
    }

    [Fact]
    public void Bad_templates_and_duplicates_are_refused()
    {
        var router = new Router();
        RequestHandler nothing = _ => Task.CompletedTask;
        router.Map("GET", "/a/{x}", nothing);
        Assert.Throws<ArgumentException>(() => router.Map("GET", "/a/{x}", nothing));
        Assert.Throws<ArgumentException>(() => router.Map("GET", "a", nothing));
        Assert.Throws<ArgumentException>(() => router.Map("GET", "/{a*}/{b*}", nothing));
        Assert.Throws<ArgumentException>(() => router.Map("GET", "/{}", nothing));
        Assert.Throws<ArgumentException>(() => router.Map("GET", "/x{y}", nothing));
        router.Map("POST", "/a/{x}", nothing);
    }

    [Theory]
    [InlineData("/v1.45/x", 6)]
    [InlineData("/v1/x", 3)]
    [InlineData("/v1.45", 0)]
    [InlineData("/volumes", 0)]
    [InlineData("/v/x", 0)]
    public void Version_prefix(string path, int length) => Assert.Equal(length, Router.VersionPrefixLength(path));
}
