using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Berth.Distribution.Server;
using Berth.Distribution.Server.Auth;
using Berth.TestSupport;

namespace Berth.Distribution.Tests.Server;

/// <summary>Basic auth from an htpasswd file made by Apache's htpasswd, and Docker's token flow with scopes per repository.</summary>
public class AuthTests
{
    /// <summary>An htpasswd file with bcrypt entries, written by the real htpasswd (apache2-utils).</summary>
    internal static string WriteHtpasswd(string directory, params (string User, string Password)[] users)
    {
        string tool = HostTools.Require("htpasswd", "apache2-utils");
        string path = Path.Combine(directory, "htpasswd");
        var lines = users.Select(u => ProcessRunner.Run(tool, ["-Bbn", u.User, u.Password]).EnsureSuccess("htpasswd -Bbn").Stdout.Trim());
        File.WriteAllText(path, string.Join('\n', lines) + "\n");
        return path;
    }

    static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));

    [Fact]
    public async Task Basic_auth_lets_the_users_of_the_file_in_and_challenges_everyone_else()
    {
        string directory = Directory.CreateTempSubdirectory("berth-test-htpasswd-").FullName;
        try
        {
            var users = Htpasswd.Load(WriteHtpasswd(directory, ("alice", "s3cret")));
            using var host = new RegistryHost(new RegistryOptions { Auth = new BasicAuth(users) });

            using (var anonymous = await host.Client.GetAsync("/v2/"))
            {
                Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
                Assert.Equal("Basic realm=\"berth-registry\"", anonymous.Headers.WwwAuthenticate.Single().ToString());
                Assert.Equal("UNAUTHORIZED", RegistryHost.ErrorCode(anonymous));
            }
            var wrong = new HttpRequestMessage(HttpMethod.Get, "/v2/") { Headers = { Authorization = Basic("alice", "guess") } };
            using (var refused = await host.Client.SendAsync(wrong))
                Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            var right = new HttpRequestMessage(HttpMethod.Get, "/v2/") { Headers = { Authorization = Basic("alice", "s3cret") } };
            using var allowed = await host.Client.SendAsync(right);
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task Tokens_carry_only_the_scopes_the_acl_grants_and_the_registry_checks_them()
    {
        string directory = Directory.CreateTempSubdirectory("berth-test-token-").FullName;
        try
        {
            var users = Htpasswd.Load(WriteHtpasswd(directory, ("alice", "s3cret"), ("bob", "hunter2")));
            var acl = TokenAcl.Parse("""
                *      public/*  pull
                alice  *         pull,push
                """);
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            using var host = new RegistryHost(new RegistryOptions { Auth = new TokenAuth("http://realm.invalid/token", "test-registry", users, acl, key) });

            // Anonymous: a challenge naming the realm, the service and the scope needed.
            using (var challenge = await host.Client.PostAsync("/v2/public/app/blobs/uploads/", null))
            {
                Assert.Equal(HttpStatusCode.Unauthorized, challenge.StatusCode);
                Assert.Equal("Bearer realm=\"http://realm.invalid/token\",service=\"test-registry\",scope=\"repository:public/app:pull,push\"",
                    challenge.Headers.WwwAuthenticate.Single().ToString());
            }

            async Task<string> Token(string scope, AuthenticationHeaderValue? credentials)
            {
                var request = new HttpRequestMessage(HttpMethod.Get, $"/token?service=test-registry&scope={Uri.EscapeDataString(scope)}") { Headers = { Authorization = credentials } };
                using var response = await host.Client.SendAsync(request);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                return json.RootElement.GetProperty("token").GetString()!;
            }
            async Task<HttpStatusCode> Push(string token)
            {
                var request = new HttpRequestMessage(HttpMethod.Post, "/v2/public/app/blobs/uploads/") { Headers = { Authorization = new("Bearer", token) } };
                using var response = await host.Client.SendAsync(request);
                return response.StatusCode;
            }

            string anonymous = await Token("repository:public/app:pull,push", null);
            Assert.Equal(HttpStatusCode.Unauthorized, await Push(anonymous));
            var pull = new HttpRequestMessage(HttpMethod.Get, "/v2/public/app/tags/list") { Headers = { Authorization = new("Bearer", anonymous) } };
            using (var pulled = await host.Client.SendAsync(pull))
                Assert.Equal(HttpStatusCode.NotFound, pulled.StatusCode); // allowed in, and the repository is empty

            Assert.Equal(HttpStatusCode.Unauthorized, await Push(await Token("repository:public/app:pull,push", Basic("bob", "hunter2"))));
            string alice = await Token("repository:public/app:pull,push", Basic("alice", "s3cret"));
            Assert.Equal(HttpStatusCode.Accepted, await Push(alice));

            // A token for another repository, or one tampered with, opens nothing here.
            Assert.Equal(HttpStatusCode.Unauthorized, await Push(await Token("repository:public/other:pull,push", Basic("alice", "s3cret"))));
            string[] parts = alice.Split('.');
            string forged = parts[0] + "." + RegistryToken.Base64Url(Encoding.UTF8.GetBytes(
                Encoding.UTF8.GetString(Convert.FromBase64String(parts[1].Replace('-', '+').Replace('_', '/') + new string('=', (4 - parts[1].Length % 4) % 4))).Replace("alice", "mallory"))) + "." + parts[2];
            Assert.Equal(HttpStatusCode.Unauthorized, await Push(forged));

            var badPassword = new HttpRequestMessage(HttpMethod.Get, "/token?service=test-registry&scope=repository:public/app:pull") { Headers = { Authorization = Basic("alice", "wrong") } };
            using var refused = await host.Client.SendAsync(badPassword);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task A_delete_needs_a_token_with_the_delete_scope()
    {
        string directory = Directory.CreateTempSubdirectory("berth-test-token-").FullName;
        string root = Path.Combine(directory, "storage");
        try
        {
            Berth.Oci.Digest manifest;
            using (var open = new RegistryHost(root: root))
                manifest = open.PushImage("team/app", "v1", "to be deleted").Manifest;
            var users = Htpasswd.Load(WriteHtpasswd(directory, ("alice", "s3cret"), ("admin", "adm1n")));
            var acl = TokenAcl.Parse("alice * pull,push\nadmin * pull,push,delete\n");
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            using var host = new RegistryHost(new RegistryOptions { DeleteEnabled = true, Auth = new TokenAuth("http://realm.invalid/token", "test-registry", users, acl, key) }, root);

            async Task<HttpResponseMessage> Delete(string user, string password)
            {
                var issue = new HttpRequestMessage(HttpMethod.Get, "/token?service=test-registry&scope=" + Uri.EscapeDataString("repository:team/app:pull,push,delete"))
                    { Headers = { Authorization = Basic(user, password) } };
                using var issued = await host.Client.SendAsync(issue);
                using var json = JsonDocument.Parse(await issued.Content.ReadAsStringAsync());
                var delete = new HttpRequestMessage(HttpMethod.Delete, $"/v2/team/app/manifests/{manifest}")
                    { Headers = { Authorization = new("Bearer", json.RootElement.GetProperty("token").GetString()) } };
                return await host.Client.SendAsync(delete);
            }

            using (var refused = await Delete("alice", "s3cret"))
            {
                Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
                Assert.Equal("DENIED", RegistryHost.ErrorCode(refused));
                Assert.Equal("Bearer realm=\"http://realm.invalid/token\",service=\"test-registry\",scope=\"repository:team/app:delete\",error=\"insufficient_scope\"",
                    refused.Headers.WwwAuthenticate.Single().ToString());
            }
            Assert.NotNull(host.Storage.Manifest("team/app", manifest.ToString()));
            using (var deleted = await Delete("admin", "adm1n"))
                Assert.Equal(HttpStatusCode.Accepted, deleted.StatusCode);
            Assert.Null(host.Storage.Manifest("team/app", manifest.ToString()));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Theory]
    [InlineData("public/*", "public/app", true)]
    [InlineData("public/*", "public/a/b", true)]
    [InlineData("public/*", "private/app", false)]
    [InlineData("*", "anything/at/all", true)]
    [InlineData("team/*-ci", "team/web-ci", true)]
    [InlineData("team/*-ci", "team/web-prod", false)]
    public void Acl_patterns_match_with_stars(string pattern, string name, bool matches) =>
        Assert.Equal(matches, TokenAcl.Glob(pattern, name));
}
