using Berth.Distribution.Client;
using Berth.Engine.Events;
using Berth.Images.References;
using Berth.Images.Store;
using Berth.Oci.Image;

namespace Berth.Engine.Registry;

/// <summary>
/// The engine's pull, push and login: the distribution client over the engine's image store, with the
/// daemon's insecure registries and mirrors, credentials given per request (X-Registry-Auth), image events
/// (pull, push, tag), and registry errors turned into the texts and status classes dockerd answers with.
/// </summary>
public sealed class RegistryService : IDisposable
{
    readonly ImageStore _images;
    readonly EventBus _events;
    readonly RegistryClient _client;

    public RegistryService(EngineOptions options, ImageStore images, EventBus events)
    {
        _images = images;
        _events = events;
        _client = new RegistryClient(new RegistryHosts(options.InsecureRegistries, options.RegistryMirrors));
    }

    /// <summary>
    /// The reference <c>POST /images/create</c> names: <paramref name="fromImage"/> with <paramref name="tag"/>
    /// (a tag, or a digest) when it has none; with neither, the repository (every tag: docker pull --all-tags),
    /// as dockerd reads it. Checked before anything is sent.
    /// </summary>
    public static Reference PullReference(string fromImage, string? tag)
    {
        if (!Reference.TryParseNormalized(fromImage, out var reference, out string? error))
            throw EngineException.Invalid(error ?? $"invalid reference format: {fromImage}");
        if (string.IsNullOrEmpty(tag))
            return reference;
        // The tag parameter wins over a tag in fromImage, and may be a digest, as in dockerd.
        var name = reference.WithoutTagOrDigest();
        try
        {
            return Berth.Oci.Digest.TryParse(tag, out var digest) ? name.WithDigest(digest) : name.WithTag(tag);
        }
        catch (Berth.Images.StoreException)
        {
            throw EngineException.Invalid($"invalid tag format: {tag}");
        }
    }

    /// <summary>
    /// Resolves and pulls <paramref name="reference"/>. <paramref name="started"/> is called before the first
    /// progress message (the API sends its response head then, so that errors before it are HTTP errors).
    /// </summary>
    public async Task<PullResult> PullAsync(Reference reference, string? platform, RegistryCredentials credentials, Action<ProgressMessage> progress, CancellationToken ct)
    {
        var matcher = PlatformMatcher.Default;
        if (!string.IsNullOrEmpty(platform))
        {
            if (!Platform.TryParse(platform, out var parsed, out string? error))
                throw EngineException.Invalid(error ?? $"invalid platform: {platform}");
            matcher = PlatformMatcher.Only(parsed);
        }
        try
        {
            var result = await new ImagePuller(_images, _client).PullAsync(reference, matcher, credentials, progress, ct).ConfigureAwait(false);
            string name = reference.FamiliarString;
            _events.Publish("image", "pull", name, new Dictionary<string, string> { ["name"] = name });
            return result;
        }
        catch (RegistryException e)
        {
            throw Translate(e, reference, push: false);
        }
    }

    /// <summary>Pushes <paramref name="name"/> with <paramref name="tag"/> (every tag of it when empty).</summary>
    public async Task PushAsync(string name, string? tag, RegistryCredentials credentials, Action<ProgressMessage> progress, CancellationToken ct)
    {
        if (!Reference.TryParseNormalized(name, out var reference, out string? error))
            throw EngineException.Invalid(error ?? $"invalid reference format: {name}");
        if (reference.Tag is { } own && string.IsNullOrEmpty(tag))
            tag = own;
        var repository = reference.WithoutTagOrDigest();
        try
        {
            var pushed = await new ImagePusher(_images, _client).PushAsync(repository, string.IsNullOrEmpty(tag) ? null : tag, credentials, progress, ct).ConfigureAwait(false);
            foreach (var aux in pushed)
            {
                string familiar = repository.WithTag(aux.Tag).FamiliarString;
                _events.Publish("image", "push", familiar, new Dictionary<string, string> { ["name"] = familiar });
            }
        }
        catch (RegistryException e)
        {
            throw Translate(e, reference, push: true);
        }
    }

    /// <summary><c>POST /auth</c>: checks the credentials against the registry (Docker Hub when no server is named).</summary>
    public async Task LoginAsync(AuthConfig config, CancellationToken ct)
    {
        string domain = RegistryHosts.DomainOf(config.ServerAddress ?? "");
        try
        {
            await _client.LoginAsync(domain, AuthConfigs.ToCredentials(config), ct).ConfigureAwait(false);
        }
        catch (RegistryException e)
        {
            var endpoint = new Uri(_client.Hosts.Own(domain)[^1], "v2/");
            throw e.Kind is RegistryErrorKind.Unauthorized or RegistryErrorKind.Denied
                ? new EngineException(EngineErrorKind.Unauthorized, $"login attempt to {endpoint} failed with status: 401 Unauthorized", e)
                : EngineException.System($"login attempt to {endpoint} failed: {e.Message}", e);
        }
    }

    /// <summary>dockerd's wording of a failed pull or push (distribution/errors.go).</summary>
    static EngineException Translate(RegistryException e, Reference reference, bool push)
    {
        string name = reference.FamiliarName;
        return e.Kind switch
        {
            RegistryErrorKind.NotFound when e.Code == "MANIFEST_UNKNOWN" && !push
                => new EngineException(EngineErrorKind.NotFound, $"manifest for {reference.FamiliarString} not found: {e.Message}", e),
            RegistryErrorKind.NotFound or RegistryErrorKind.Unauthorized or RegistryErrorKind.Denied when !push
                => new EngineException(EngineErrorKind.NotFound, $"pull access denied for {name}, repository does not exist or may require 'docker login': {e.Message}", e),
            RegistryErrorKind.Unauthorized or RegistryErrorKind.Denied
                => new EngineException(EngineErrorKind.Forbidden, e.Message, e),
            RegistryErrorKind.NotFound => new EngineException(EngineErrorKind.NotFound, e.Message, e),
            RegistryErrorKind.Invalid => new EngineException(EngineErrorKind.InvalidParameter, e.Message, e),
            _ => EngineException.System(e.Message, e),
        };
    }

    public void Dispose() => _client.Dispose();
}
