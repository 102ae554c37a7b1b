using Berth.Http;

namespace Berth.Distribution.Server.Auth;

/// <summary>distribution's htpasswd auth: any user of the file may do anything; everyone else gets a Basic challenge.</summary>
public sealed class BasicAuth(Htpasswd users, string realm = "berth-registry") : IRegistryAuth
{
    public RegistryRefusal? Check(HttpRequest request, RegistryAccess? access)
    {
        if (Htpasswd.BasicCredentials(request.Headers["Authorization"]) is { } credentials && users.Verify(credentials.User, credentials.Password))
            return null;
        return new RegistryRefusal(new RegistryException(RegistryErrorCode.Unauthorized),
            [new("WWW-Authenticate", $"Basic realm=\"{realm}\"")]);
    }
}
