using Nimbus.Core.Functions;
using Nimbus.Core.Routing;

namespace Nimbus.Server.Storage;

/// <summary>
/// The outcome of <see cref="INimbusStore.TryUpsertFunctionConfigAsync"/>: the saved function, or the routes that
/// another function already serves (then nothing was written).
/// </summary>
public sealed record FunctionUpsertResult(FunctionRecord? Saved, bool Created, IReadOnlyList<RouteConflict> Conflicts)
{
    public static FunctionUpsertResult Refused(IReadOnlyList<RouteConflict> conflicts) => new(null, false, conflicts);
}
