using Berth.TestSupport;

namespace Berth.Compat;

/// <summary>
/// Programs integrate with Berth through its API: the static docker CLI, inside a container that has the
/// berthd socket bind-mounted, lists and inspects its sibling containers and follows the event stream.
/// </summary>
public sealed class SiblingClientTests(BerthdFixture fixture) : IClassFixture<BerthdFixture>
{
    readonly BerthDaemon _d = fixture.Daemon;

    [Fact]
    public void The_docker_cli_in_a_container_lists_and_inspects_its_siblings()
    {
        const string sibling = "sibling-server";
        const string client = "sibling-client-image:latest";
        try
        {
            _d.Cli("run", "-d", "--name", sibling, "-l", "role=server", BerthDaemon.Image, "sleep", "1000").EnsureSuccess("docker run -d");
            MakeClientImage(client);

            var ps = _d.Cli("run", "--rm", "-v", _d.Socket + ":/var/run/docker.sock", client,
                "/docker", "ps", "--filter", "label=role=server", "--format", "{{.Names}} {{.State}} {{.Image}}").EnsureSuccess("docker ps inside a container");
            Assert.Equal($"{sibling} running {BerthDaemon.Image}\n", ps.Stdout);

            string id = _d.Inspect(sibling, "{{.Id}}");
            var inspect = _d.Cli("run", "--rm", "-v", _d.Socket + ":/var/run/docker.sock", client,
                "/docker", "inspect", "-f", "{{.Id}} {{.Config.Labels.role}} {{.State.Pid}}", sibling).EnsureSuccess("docker inspect inside a container");
            Assert.Equal($"{id} server {_d.Inspect(sibling, "{{.State.Pid}}")}\n", inspect.Stdout);

            // The event stream: the inner client sees the sibling stop.
            _d.Cli("run", "-d", "--name", "sibling-watcher", "-v", _d.Socket + ":/var/run/docker.sock", client,
                "/docker", "events", "--filter", "container=" + sibling, "--filter", "event=die", "--format", "{{.Action}} {{.Actor.Attributes.name}}").EnsureSuccess("docker events inside a container");
            // The watcher subscribes after it starts; kill only once berthd counts its subscription, so no event is missed.
            Wait.Until(() => SubscribedToEvents(), "the inner client subscribed to events");
            _d.Cli("kill", sibling).EnsureSuccess("docker kill");
            Wait.Until(() => _d.Cli("logs", "sibling-watcher").Stdout.Contains("die " + sibling), "the inner client's die event");
        }
        finally
        {
            _d.Cli("rm", "-f", sibling, "sibling-watcher");
            _d.Cli("rmi", client);
        }
    }

    bool SubscribedToEvents() => _d.Cli("info", "--format", "{{.NEventsListener}}").Stdout.Trim() is { } n && int.TryParse(n, out int count) && count > 0;

    /// <summary>busybox plus the static docker client at /docker: copied in by docker cp, then committed.</summary>
    void MakeClientImage(string tag)
    {
        const string builder = "sibling-client-builder";
        try
        {
            _d.Cli("create", "--name", builder, BerthDaemon.Image, "true").EnsureSuccess("docker create");
            _d.Cli("cp", "/usr/local/bin/docker", builder + ":/docker").EnsureSuccess("docker cp of the client");
            _d.Cli("commit", builder, tag).EnsureSuccess("docker commit");
        }
        finally
        {
            _d.Cli("rm", "-f", builder);
        }
    }
}
