using Berth.Engine.Build;

namespace Berth.Engine.Tests.Build;

/// <summary>The secrets berthd holds between berth build's upload and its build: taken once, dropped and zeroed when late.</summary>
public sealed class BuildSecretsTests
{
    sealed class ManualTime : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = DateTimeOffset.UnixEpoch;

        public override DateTimeOffset GetUtcNow() => Now;
    }

    [Fact]
    public void A_build_takes_its_secrets_once()
    {
        var store = new BuildSecrets(new ManualTime());
        string session = store.Add(new Dictionary<string, byte[]> { ["key"] = [1, 2, 3] });
        Assert.Matches("^[0-9a-f]{32}$", session);
        Assert.Equal([1, 2, 3], store.Take(session)!["key"]);
        Assert.Null(store.Take(session));
        Assert.Null(store.Take("unknown"));
    }

    [Fact]
    public void What_no_build_took_in_time_is_dropped_and_zeroed()
    {
        var time = new ManualTime();
        var store = new BuildSecrets(time);
        byte[] late = [7, 7, 7];
        string session = store.Add(new Dictionary<string, byte[]> { ["key"] = late });
        time.Now += BuildSecrets.Lifetime;
        Assert.Null(store.Take(session));
        Assert.Equal([0, 0, 0], late);

        byte[] used = [9, 9];
        var secrets = new Dictionary<string, byte[]> { ["key"] = used };
        BuildSecrets.Clear(secrets);
        Assert.Equal([0, 0], used);
    }
}
