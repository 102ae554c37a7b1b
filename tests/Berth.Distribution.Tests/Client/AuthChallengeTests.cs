using Berth.Distribution.Client;

namespace Berth.Distribution.Tests.Client;

public sealed class AuthChallengeTests
{
    [Fact]
    public void A_bearer_challenge_gives_realm_service_and_scope()
    {
        var challenges = AuthChallenge.Parse(["Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\",scope=\"repository:library/busybox:pull\""]);
        var bearer = Assert.Single(challenges);
        Assert.Equal("Bearer", bearer.Scheme);
        Assert.Equal("https://auth.docker.io/token", bearer.Get("realm"));
        Assert.Equal("registry.docker.io", bearer.Get("service"));
        Assert.Equal("repository:library/busybox:pull", bearer.Get("scope"));
    }

    [Fact]
    public void Several_challenges_in_one_header_and_quoted_commas_are_kept_apart()
    {
        var challenges = AuthChallenge.Parse(["Basic realm=\"a, b\", Bearer realm=\"http://127.0.0.1/token\",scope=\"repository:x:pull,push\""]);
        Assert.Equal(["Basic", "Bearer"], challenges.Select(c => c.Scheme));
        Assert.Equal("a, b", challenges[0].Get("realm"));
        Assert.Equal("repository:x:pull,push", challenges[1].Get("scope"));
    }
}
