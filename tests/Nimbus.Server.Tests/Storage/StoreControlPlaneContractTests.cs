using Nimbus.Core.Functions;
using Nimbus.Server.Storage;

namespace Nimbus.Server.Tests.Storage;

/// <summary>
/// The control-plane part of the store contract: the change signal and atomic route conflicts. Runs against every
/// backend through <see cref="StoreContractTests"/>.
/// </summary>
public abstract partial class StoreContractTests
{
    private static FunctionConfig Routed(string name, params string[] routes) => Config(name) with
    {
        Routes = [.. routes.Select(r => new HttpRouteConfig(r.Split(' ')[0], r.Split(' ')[1]))],
    };

    [Fact]
    public async Task ControlGeneration_EveryControlPlaneWrite_IncrementsIt()
    {
        var seen = new List<long> { await Store.GetControlGenerationAsync(Ct) };
        async Task Step(Func<Task> write)
        {
            await write();
            seen.Add(await Store.GetControlGenerationAsync(Ct));
        }

        await Step(() => Store.UpsertFunctionConfigAsync(Config("fn"), Ct));
        await Step(() => Store.TryUpsertFunctionConfigAsync(Config("fn", memoryMb: 256), Ct));
        await Step(() => Store.SetFunctionCodeAsync("fn", "sha-1", 10, Ct));
        await Step(() => Store.PublishVersionAsync("fn", null, Ct));
        await Step(() => Store.UpsertAliasAsync(new AliasRecord("fn", "live", 1, null, 0, null, Start), Ct));
        await Step(() => Store.SetProvisionedConcurrencyAsync("fn", "live", 2, Ct));
        await Step(() => Store.DeleteAliasAsync("fn", "live", Ct));
        await Step(() => Store.DeleteFunctionAsync("fn", Ct));

        for (var i = 1; i < seen.Count; i++)
        {
            Assert.True(seen[i] > seen[i - 1], $"write {i} left the generation at {seen[i - 1]} (all: {string.Join(", ", seen)})");
        }
    }

    [Fact]
    public async Task ControlGeneration_LogsAndInvocations_LeaveItAlone()
    {
        await Store.UpsertFunctionConfigAsync(Config("fn"), Ct);
        var before = await Store.GetControlGenerationAsync(Ct);

        await Store.AppendLogsAsync([new Nimbus.Core.Logs.LogRecord(0, Start, "fn", "$LATEST", null, null, "INFO", "stdout", "hello", null)], Ct);

        Assert.Equal(before, await Store.GetControlGenerationAsync(Ct));
    }

    [Fact]
    public async Task ControlGeneration_IsReadWithRoutingData_AndSeenByAnotherStoreOnTheSameData()
    {
        var other = await OpenStoreAsync();
        await Store.UpsertFunctionConfigAsync(Config("fn"), Ct);

        var generation = await Store.GetControlGenerationAsync(Ct);

        Assert.Equal(generation, await other.GetControlGenerationAsync(Ct));
        Assert.Equal(generation, (await other.LoadRoutingDataAsync(Ct)).Generation);
    }

    [Fact]
    public async Task TryUpsertFunctionConfig_RouteOfAnotherFunction_IsRefusedNamingOwner_AndWritesNothing()
    {
        await Store.TryUpsertFunctionConfigAsync(Routed("owner", "GET /orders/{id}"), Ct);
        var generation = await Store.GetControlGenerationAsync(Ct);

        // Same method and shape with another parameter name: the same requests, so the same route.
        var result = await Store.TryUpsertFunctionConfigAsync(Routed("late", "POST /orders", "GET /orders/{orderId}"), Ct);

        Assert.Null(result.Saved);
        var conflict = Assert.Single(result.Conflicts);
        Assert.Equal((1, "GET /orders/{orderId}", "owner"), (conflict.Index, conflict.RouteKey, conflict.Owner));
        Assert.Null(await Store.GetFunctionAsync("late", Ct));
        Assert.Equal(generation, await Store.GetControlGenerationAsync(Ct));
    }

    [Fact]
    public async Task TryUpsertFunctionConfig_OwnRoutesOtherMethodsAndNewFunctions_AreAccepted()
    {
        var created = await Store.TryUpsertFunctionConfigAsync(Routed("a", "GET /x"), Ct);
        var updated = await Store.TryUpsertFunctionConfigAsync(Routed("a", "GET /x", "GET /y"), Ct);
        var otherMethod = await Store.TryUpsertFunctionConfigAsync(Routed("b", "POST /x", "ANY /x"), Ct);

        Assert.True(created.Created);
        Assert.False(updated.Created);
        Assert.Equal(2, updated.Saved!.Revision);
        Assert.NotNull(otherMethod.Saved);
        Assert.Empty(otherMethod.Conflicts);
    }
}
