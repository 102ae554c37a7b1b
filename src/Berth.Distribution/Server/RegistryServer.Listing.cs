using System.Globalization;
using Berth.Http;
using Berth.Oci;
using Berth.Oci.Image;

namespace Berth.Distribution.Server;

public sealed partial class RegistryServer
{
    /// <summary>distribution's default page of the catalog when the client asks for none.</summary>
    const int DefaultCatalogPage = 100;

    Task TagsAsync(HttpContext context)
    {
        string name = Repository(context, "pull");
        var tags = Storage.Tags(name) ?? throw new RegistryException(RegistryErrorCode.NameUnknown, name);
        var page = Page(context, tags, $"/v2/{name}/tags/list", defaultSize: null);
        return WriteJsonAsync(context, 200, w =>
        {
            w.WriteStartObject();
            w.WriteString("name"u8, name);
            w.WriteStartArray("tags"u8);
            foreach (string tag in page)
                w.WriteStringValue(tag);
            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    Task CatalogAsync(HttpContext context)
    {
        Authorize(context, RegistryAccess.Catalog);
        var page = Page(context, Storage.RepositoryNames(), "/v2/_catalog", DefaultCatalogPage);
        return WriteJsonAsync(context, 200, w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("repositories"u8);
            foreach (string repository in page)
                w.WriteStringValue(repository);
            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    /// <summary>
    /// The part of a sorted list after <c>last</c>, at most <c>n</c> long; when more follow, a <c>Link</c> header
    /// names the next page, as distribution writes it.
    /// </summary>
    static IReadOnlyList<string> Page(HttpContext context, IReadOnlyList<string> all, string path, int? defaultSize)
    {
        var query = context.Request.Query;
        int? size = defaultSize;
        if (query.Get("n") is { } n)
        {
            if (!int.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out int parsed))
                throw new RegistryException(RegistryErrorCode.PaginationNumberInvalid, $"n={n}");
            size = parsed;
        }
        IEnumerable<string> rest = all;
        if (query.Get("last") is { Length: > 0 } last)
            rest = all.Where(item => string.CompareOrdinal(item, last) > 0);
        var list = rest.ToList();
        if (size is not { } limit || list.Count <= limit)
            return list;
        var page = list.GetRange(0, limit);
        if (limit > 0)
            context.Response.SetHeader("Link", $"<{path}?last={Uri.EscapeDataString(page[^1])}&n={limit}>; rel=\"next\"");
        return page;
    }

    /// <summary>The referrers API: an OCI index of the manifests naming a digest as their subject, filtered by <c>artifactType</c>.</summary>
    Task ReferrersAsync(HttpContext context)
    {
        string name = Repository(context, "pull");
        var subject = ParseDigest(context.RouteValue("digest"), RegistryErrorCode.DigestInvalid);
        IEnumerable<Descriptor> referrers = Storage.Referrers(name, subject);
        if (context.Request.Query.Get("artifactType") is { } artifactType)
        {
            referrers = referrers.Where(d => d.ArtifactType == artifactType);
            context.Response.SetHeader("OCI-Filters-Applied", "artifactType");
        }
        var index = new ImageIndex { SchemaVersion = 2, MediaType = MediaTypes.OciIndex, Manifests = referrers.ToList() };
        return context.Response.WriteAsync(OciImageJson.Write(index), MediaTypes.OciIndex, context.Aborted);
    }
}
