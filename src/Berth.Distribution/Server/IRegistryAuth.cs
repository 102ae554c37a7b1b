using Berth.Http;

namespace Berth.Distribution.Server;

/// <summary>The access a request needs: actions on one repository (<c>pull</c>, <c>push</c>, <c>delete</c>), or the catalog.</summary>
public sealed record RegistryAccess(string Type, string Name, IReadOnlyList<string> Actions)
{
    public static RegistryAccess Repository(string name, params string[] actions) => new("repository", name, actions);

    public static readonly RegistryAccess Catalog = new("registry", "catalog", ["*"]);

    /// <summary>The scope as Docker's token flow writes it: <c>repository:name:pull,push</c>.</summary>
    public string Scope => $"{Type}:{Name}:{string.Join(',', Actions)}";
}

/// <summary>Decides whether a request may have the access it needs; refuses with UNAUTHORIZED (and a challenge) or DENIED.</summary>
public interface IRegistryAuth
{
    /// <summary>Null when the request has the access; otherwise the refusal to send (status, code and challenge headers).</summary>
    RegistryRefusal? Check(HttpRequest request, RegistryAccess? access);
}

/// <summary>A refused request: the error and the headers that tell the client how to authenticate.</summary>
public sealed record RegistryRefusal(RegistryException Error, IReadOnlyList<KeyValuePair<string, string>> Headers);
