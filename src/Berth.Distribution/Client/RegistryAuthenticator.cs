using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Berth.Distribution.Client;

/// <summary>
/// Answers a registry's challenge as Docker's client does: Basic with the credentials; Bearer by asking the
/// challenge's realm for a token for the service and scopes (with Basic credentials when there are some, an
/// identity token as an OAuth refresh token, or a registry token used as the bearer itself).
/// </summary>
internal sealed class RegistryAuthenticator(HttpClient http, RegistryCredentials credentials)
{
    /// <summary>The Authorization header for <paramref name="challenge"/> and <paramref name="scopes"/>; null for a scheme it cannot answer.</summary>
    public async Task<AuthenticationHeaderValue?> AuthorizeAsync(AuthChallenge challenge, IReadOnlyList<string> scopes, CancellationToken ct)
    {
        if (challenge.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase))
            return credentials.HasBasic ? new AuthenticationHeaderValue("Basic", credentials.BasicValue) : null;
        if (!challenge.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase))
            return null;
        if (!string.IsNullOrEmpty(credentials.RegistryToken))
            return new AuthenticationHeaderValue("Bearer", credentials.RegistryToken);
        string realm = challenge.Get("realm") ?? throw new RegistryException(RegistryErrorKind.Unauthorized, "bearer challenge without a realm");
        string service = challenge.Get("service") ?? "";
        // The challenge's own scope too: a registry may ask for one the client did not think of.
        var allScopes = scopes.Concat(challenge.Get("scope") is { Length: > 0 } s ? s.Split(' ') : []).Distinct().ToList();
        string token = await FetchTokenAsync(new Uri(realm), service, allScopes, ct).ConfigureAwait(false);
        return new AuthenticationHeaderValue("Bearer", token);
    }

    async Task<string> FetchTokenAsync(Uri realm, string service, IReadOnlyList<string> scopes, CancellationToken ct)
    {
        using var request = string.IsNullOrEmpty(credentials.IdentityToken)
            ? TokenGet(realm, service, scopes)
            : TokenPost(realm, service, scopes);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, ct).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new RegistryException(RegistryErrorKind.Unavailable, $"fetch token from {realm.GetLeftPart(UriPartial.Path)}: {e.Message}", e);
        }
        using (response)
        {
            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
                throw new RegistryException(RegistryErrorKind.Unauthorized, "unauthorized: incorrect username or password");
            if (!response.IsSuccessStatusCode)
                throw await RegistryErrors.FromResponseAsync(response, "fetch token", ct).ConfigureAwait(false);
            byte[] body = await response.Content.ReadAsByteArrayAsync(ct).ConfigureAwait(false);
            TokenResponse? parsed;
            try
            {
                parsed = JsonSerializer.Deserialize(body, RegistryJson.Default.TokenResponse);
            }
            catch (JsonException e)
            {
                throw new RegistryException(RegistryErrorKind.Unauthorized, $"unable to decode token response: {e.Message}", e);
            }
            return parsed?.Token is { Length: > 0 } token ? token
                : parsed?.AccessToken is { Length: > 0 } access ? access
                : throw new RegistryException(RegistryErrorKind.Unauthorized, "authorization server did not include a token in the response");
        }
    }

    HttpRequestMessage TokenGet(Uri realm, string service, IReadOnlyList<string> scopes)
    {
        var query = new List<string>();
        if (service.Length > 0)
            query.Add("service=" + Uri.EscapeDataString(service));
        query.AddRange(scopes.Select(s => "scope=" + Uri.EscapeDataString(s)));
        if (credentials.HasBasic)
            query.Add("account=" + Uri.EscapeDataString(credentials.Username ?? ""));
        var builder = new UriBuilder(realm);
        string existing = builder.Query.TrimStart('?');
        builder.Query = string.Join('&', (existing.Length > 0 ? [existing] : Array.Empty<string>()).Concat(query));
        var request = new HttpRequestMessage(HttpMethod.Get, builder.Uri);
        if (credentials.HasBasic)
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", credentials.BasicValue);
        return request;
    }

    HttpRequestMessage TokenPost(Uri realm, string service, IReadOnlyList<string> scopes)
    {
        var form = new List<KeyValuePair<string, string>>
        {
            new("grant_type", "refresh_token"),
            new("refresh_token", credentials.IdentityToken!),
            new("service", service),
            new("client_id", "docker"),
            new("scope", string.Join(' ', scopes)),
        };
        return new HttpRequestMessage(HttpMethod.Post, realm) { Content = new FormUrlEncodedContent(form) };
    }
}
