using Berth.Api.Endpoints;
using Berth.Http;
using Berth.Engine;

namespace Berth.Api;

/// <summary>
/// The Docker Engine API over an engine: every route, Docker's version headers on every response,
/// version negotiation, and errors as <c>{"message": ...}</c> with Docker's status codes.
/// </summary>
public sealed class ApiHost
{
    readonly Router _router = new();
    readonly Action<string> _log;

    public ApiHost(BerthEngine engine, Action<string> log)
    {
        _log = log;
        SystemEndpoints.Map(_router, engine);
        EventEndpoints.Map(_router, engine);
        ContainerEndpoints.Map(_router, engine);
        ContainerQueryEndpoints.Map(_router, engine);
        ContainerStreamEndpoints.Map(_router, engine);
        ContainerResourceEndpoints.Map(_router, engine);
        ArchiveEndpoints.Map(_router, engine);
        ExecEndpoints.Map(_router, engine);
        ImageEndpoints.Map(_router, engine);
        BuildEndpoints.Map(_router, engine);
        RegistryEndpoints.Map(_router, engine);
        VolumeEndpoints.Map(_router, engine);
        NetworkEndpoints.Map(_router, engine);
    }

    /// <summary>The "1.44" of "/v1.44/containers/json", or null.</summary>
    static string? RequestedVersion(string path)
    {
        if (path.Length < 4 || path[1] != 'v' || !char.IsAsciiDigit(path[2]))
            return null;
        int end = path.IndexOf('/', 1);
        string version = end < 0 ? path[2..] : path[2..end];
        return version.All(c => char.IsAsciiDigit(c) || c == '.') ? version : null;
    }

    public async Task HandleAsync(HttpContext context)
    {
        var response = context.Response;
        response.SetHeader("Api-Version", ApiVersion.Current);
        response.SetHeader("Docker-Experimental", "false");
        response.SetHeader("Ostype", "linux");
        response.SetHeader("Server", $"Docker/{ApiVersion.EngineVersion} (linux)");
        try
        {
            if (RequestedVersion(context.Request.Path) is { } requested && ApiVersion.Check(requested) is { } refusal)
            {
                await Respond.Error(context, 400, refusal);
                return;
            }
            await _router.DispatchAsync(context);
        }
        catch (Exception e) when (!response.HasStarted)
        {
            var (status, message) = Respond.Map(e);
            if (status == 500)
                _log($"{context.Request.Method} {context.Request.Path}: {e}");
            await Respond.Error(context, status, message);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
            // The client went away mid-stream.
        }
    }
}
