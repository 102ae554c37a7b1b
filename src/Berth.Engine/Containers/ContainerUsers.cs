using Berth.Images;
using Berth.Images.Users;

namespace Berth.Engine.Containers;

/// <summary>Images' <see cref="UserResolver"/> for the engine: its refusals as the engine's own (a bad --user is the caller's fault).</summary>
public static class ContainerUsers
{
    public static UserResolver.Resolved Resolve(string rootfs, string? user, IEnumerable<string>? groupAdd)
        => Translate(() => UserResolver.Resolve(rootfs, user, groupAdd));

    public static UserResolver.Resolved Resolve(Func<string, IEnumerable<string>> readLines, string? user, IEnumerable<string>? groupAdd)
        => Translate(() => UserResolver.Resolve(readLines, user, groupAdd));

    static UserResolver.Resolved Translate(Func<UserResolver.Resolved> resolve)
    {
        try
        {
            return resolve();
        }
        catch (StoreException e)
        {
            throw EngineException.Invalid(e.Message);
        }
    }
}
