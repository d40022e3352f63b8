using Nimbus.Core.Functions;
using Nimbus.Core.Invocations;
using Nimbus.Core.Logs;
using Nimbus.Server.Storage;

namespace Nimbus.Server.Tests.Storage;

/// <summary>
/// The behaviour every <see cref="INimbusStore"/> must have. A backend's test class derives from this and says how to
/// open a store over a database private to the test.
/// </summary>
public abstract partial class StoreContractTests : IAsyncLifetime
{
    // Not on a millisecond boundary on purpose: stores keep milliseconds, so returned times are truncated.
    protected static readonly DateTimeOffset Start = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero).AddTicks(6_789_123);

    private readonly List<INimbusStore> _stores = [];

    protected ManualTimeProvider Clock { get; } = new(Start);

    protected INimbusStore Store { get; private set; } = null!;

    protected static CancellationToken Ct => CancellationToken.None;

    /// <summary>
    /// Creates (without initializing) a store over this test's database. Every call must reach the same data, as a
    /// restarted server would; the first call may find the database empty or absent.
    /// </summary>
    protected abstract INimbusStore CreateStore(TimeProvider timeProvider);

    public virtual async Task InitializeAsync() => Store = await OpenStoreAsync();

    public virtual async Task DisposeAsync()
    {
        foreach (var store in _stores)
        {
            await CloseAsync(store);
        }
    }

    protected async Task<INimbusStore> OpenStoreAsync()
    {
        var store = CreateStore(Clock);
        _stores.Add(store);
        await store.InitializeAsync(Ct);
        return store;
    }

    protected static async Task CloseAsync(INimbusStore store)
    {
        if (store is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }
    }

    /// <summary>How the tests hand the store a log batch: as the telemetry writer does where a store has no other place for lines.</summary>
    protected virtual Task AppendLogsAsync(IReadOnlyList<LogRecord> records, CancellationToken cancellationToken) =>
        Store.AppendLogsAsync(records, cancellationToken);

    protected static DateTimeOffset Ms(DateTimeOffset time) => DateTimeOffset.FromUnixTimeMilliseconds(time.ToUnixTimeMilliseconds());

    protected static FunctionConfig Config(string name, int memoryMb = 128, string handler = "index.handler") => new()
    {
        Name = name,
        Runtime = "node",
        Handler = handler,
        MemoryMb = memoryMb,
    };

    protected async Task<FunctionRecord> CreateFunctionWithCodeAsync(string name, string sha = "aaa111", INimbusStore? store = null)
    {
        store ??= Store;
        await store.UpsertFunctionConfigAsync(Config(name), Ct);
        return (await store.SetFunctionCodeAsync(name, sha, 1234, Ct))!;
    }

    protected static void AssertSameConfig(FunctionConfig expected, FunctionConfig actual)
    {
        Assert.Equal(expected.Name, actual.Name);
        Assert.Equal(expected.Runtime, actual.Runtime);
        Assert.Equal(expected.Handler, actual.Handler);
        Assert.Equal(expected.MemoryMb, actual.MemoryMb);
        Assert.Equal(expected.TimeoutSeconds, actual.TimeoutSeconds);
        Assert.Equal(expected.ReservedConcurrency, actual.ReservedConcurrency);
        Assert.Equal(expected.Description, actual.Description);
        Assert.Equal(expected.Environment.OrderBy(p => p.Key, StringComparer.Ordinal), actual.Environment.OrderBy(p => p.Key, StringComparer.Ordinal));
        Assert.Equal(expected.Routes, actual.Routes);
    }

    protected static LogRecord Log(
        DateTimeOffset time, string message, string function = "fn", string? requestId = "req-1", string level = "INFO", string? fieldsJson = null) =>
        new(0, time, function, "$LATEST", requestId, "trace-1", level, "stdout", message, fieldsJson);

    protected static InvocationRecord Invocation(string requestId, DateTimeOffset startedAt, string function = "fn") =>
        new(requestId, function, "1", "live", startedAt, 12.5, null, false, InvocationOutcome.Success, null, 40, null);

    // ---------------------------------------------------------------- functions

    [Fact]
    public async Task UpsertFunctionConfig_NewFunction_CreatesRevisionOneAndRoundTripsEveryField()
    {
        var config = new FunctionConfig
        {
            Name = "orders-api",
            Runtime = "dotnet",
            Handler = "Orders.Api",
            MemoryMb = 512,
            TimeoutSeconds = 2.5,
            Environment = new Dictionary<string, string> { ["GREETING"] = "héllo \"quoted\"", ["EMPTY"] = "", ["A_KEY"] = "1" },
            ReservedConcurrency = 0,
            Description = "Takes orders",
            Routes = [new HttpRouteConfig("GET", "/orders/{id}"), new HttpRouteConfig("ANY", "/orders/{rest+}", "live")],
        };

        var created = await Store.UpsertFunctionConfigAsync(config, Ct);
        var read = await Store.GetFunctionAsync("orders-api", Ct);

        Assert.Equal(1, created.Revision);
        Assert.Null(created.CodeSha256);
        Assert.Equal(0, created.CodeSize);
        Assert.Equal(Ms(Start), created.CreatedAt);
        Assert.Equal(Ms(Start), created.UpdatedAt);
        Assert.NotNull(read);
        AssertSameConfig(config, created.Config);
        AssertSameConfig(config, read.Config);
        Assert.Equal(created with { Config = read.Config }, read);
        Assert.Equal(TimeSpan.Zero, read.CreatedAt.Offset);
    }

    [Fact]
    public async Task UpsertFunctionConfig_NullableFieldsUnset_RoundTripAsNull()
    {
        var config = new FunctionConfig { Name = "plain", Runtime = "provided" };

        await Store.UpsertFunctionConfigAsync(config, Ct);
        var read = await Store.GetFunctionAsync("plain", Ct);

        AssertSameConfig(config, read!.Config);
        Assert.Null(read.Config.ReservedConcurrency);
        Assert.Empty(read.Config.Routes);
        Assert.Empty(read.Config.Environment);
    }

    [Fact]
    public async Task UpsertFunctionConfig_ExistingFunction_ReplacesConfigKeepsCodeAndIncrementsRevision()
    {
        await CreateFunctionWithCodeAsync("fn");
        Clock.Advance(TimeSpan.FromMinutes(1));

        var updated = await Store.UpsertFunctionConfigAsync(Config("fn", memoryMb: 1024), Ct);

        Assert.Equal(3, updated.Revision); // 1 create, 2 code, 3 config
        Assert.Equal(1024, updated.Config.MemoryMb);
        Assert.Equal("aaa111", updated.CodeSha256);
        Assert.Equal(1234, updated.CodeSize);
        Assert.Equal(Ms(Start), updated.CreatedAt);
        Assert.Equal(Ms(Start + TimeSpan.FromMinutes(1)), updated.UpdatedAt);
        Assert.Equal(1024, (await Store.GetFunctionAsync("fn", Ct))!.Config.MemoryMb);
    }

    [Fact]
    public async Task UpsertFunctionConfig_SameConfigAgain_KeepsRevisionAndUpdateTime()
    {
        var created = await Store.UpsertFunctionConfigAsync(Config("fn"), Ct);
        Clock.Advance(TimeSpan.FromMinutes(1));

        var again = await Store.UpsertFunctionConfigAsync(Config("fn"), Ct);

        Assert.Equal(created.Revision, again.Revision);
        Assert.Equal(created.UpdatedAt, again.UpdatedAt);
    }

    [Fact]
    public async Task SetFunctionCode_ChangedDigest_IncrementsRevision_SameDigest_LeavesRecordUnchanged()
    {
        await Store.UpsertFunctionConfigAsync(Config("fn"), Ct);
        Clock.Advance(TimeSpan.FromSeconds(1));

        var first = await Store.SetFunctionCodeAsync("fn", "sha-1", 100, Ct);
        Clock.Advance(TimeSpan.FromSeconds(1));
        var same = await Store.SetFunctionCodeAsync("fn", "sha-1", 100, Ct);
        Clock.Advance(TimeSpan.FromSeconds(1));
        var changed = await Store.SetFunctionCodeAsync("fn", "sha-2", 200, Ct);

        Assert.Equal(2, first!.Revision);
        Assert.Equal(Ms(Start + TimeSpan.FromSeconds(1)), first.UpdatedAt);
        Assert.Equal(first.Revision, same!.Revision);
        Assert.Equal(first.UpdatedAt, same.UpdatedAt);
        Assert.Equal(3, changed!.Revision);
        Assert.Equal("sha-2", changed.CodeSha256);
        Assert.Equal(200, changed.CodeSize);
        Assert.Equal(Ms(Start + TimeSpan.FromSeconds(3)), changed.UpdatedAt);
    }

    [Fact]
    public async Task FunctionMethods_UnknownFunction_ReturnNullOrFalse()
    {
        Assert.Null(await Store.GetFunctionAsync("nope", Ct));
        Assert.Null(await Store.SetFunctionCodeAsync("nope", "sha", 1, Ct));
        Assert.False(await Store.DeleteFunctionAsync("nope", Ct));
        Assert.Null(await Store.PublishVersionAsync("nope", null, Ct));
        Assert.Null(await Store.GetVersionAsync("nope", 1, Ct));
        Assert.Empty(await Store.ListVersionsAsync("nope", Ct));
        Assert.Null(await Store.GetAliasAsync("nope", "live", Ct));
        Assert.Empty(await Store.ListAliasesAsync("nope", Ct));
        Assert.False(await Store.DeleteAliasAsync("nope", "live", Ct));
        Assert.Empty(await Store.ListInvocationsAsync("nope", 10, Ct));
        Assert.Empty(await Store.QueryLogsAsync(new LogQuery("nope"), Ct));
    }

    [Fact]
    public async Task ListFunctions_ReturnsAllOrderedByName()
    {
        foreach (var name in new[] { "charlie", "alpha", "bravo" })
        {
            await Store.UpsertFunctionConfigAsync(Config(name), Ct);
        }

        var names = (await Store.ListFunctionsAsync(Ct)).Select(f => f.Name);

        Assert.Equal(["alpha", "bravo", "charlie"], names);
    }

    // ---------------------------------------------------------------- versions

    [Fact]
    public async Task PublishVersion_SnapshotsLatestCodeAndConfigAsNextNumber()
    {
        await CreateFunctionWithCodeAsync("fn", "sha-1");
        Clock.Advance(TimeSpan.FromSeconds(5));

        var v1 = await Store.PublishVersionAsync("fn", "first", Ct);
        await Store.UpsertFunctionConfigAsync(Config("fn", memoryMb: 256), Ct);
        var v2 = await Store.PublishVersionAsync("fn", null, Ct);

        Assert.NotNull(v1);
        Assert.Equal(1, v1.Number);
        Assert.Equal("fn", v1.FunctionName);
        Assert.Equal("sha-1", v1.CodeSha256);
        Assert.Equal(1234, v1.CodeSize);
        Assert.Equal("first", v1.Description);
        Assert.Equal(Ms(Start + TimeSpan.FromSeconds(5)), v1.CreatedAt);
        Assert.Equal(128, v1.Config.MemoryMb);
        Assert.Equal(2, v2!.Number);
        Assert.Equal(256, v2.Config.MemoryMb);
        Assert.Null(v2.Description);

        // The published snapshot does not follow later changes of $LATEST.
        var stored = await Store.GetVersionAsync("fn", 1, Ct);
        Assert.Equal(128, stored!.Config.MemoryMb);
        Assert.Equal(v1 with { Config = stored.Config }, stored);
        AssertSameConfig(v1.Config, stored.Config);
    }

    [Fact]
    public async Task PublishVersion_LatestUnchangedSinceNewestVersion_ReturnsThatVersion()
    {
        await CreateFunctionWithCodeAsync("fn", "sha-1");
        var v1 = await Store.PublishVersionAsync("fn", "first", Ct);
        Clock.Advance(TimeSpan.FromMinutes(1));

        var again = await Store.PublishVersionAsync("fn", "second try", Ct);
        // Re-uploading the same code and re-applying the same config changes nothing.
        await Store.UpsertFunctionConfigAsync(Config("fn"), Ct);
        await Store.SetFunctionCodeAsync("fn", "sha-1", 1234, Ct);
        var third = await Store.PublishVersionAsync("fn", null, Ct);

        Assert.NotNull(v1);
        Assert.NotNull(again);
        Assert.Equal(v1, again with { Config = v1.Config });
        Assert.Equal("first", again.Description);
        Assert.Equal(1, third!.Number);
        Assert.Single(await Store.ListVersionsAsync("fn", Ct));
    }

    [Fact]
    public async Task PublishVersion_EnvironmentOrderDiffers_StillCountsAsUnchanged()
    {
        await Store.UpsertFunctionConfigAsync(Config("fn") with { Environment = new Dictionary<string, string> { ["A"] = "1", ["B"] = "2" } }, Ct);
        await Store.SetFunctionCodeAsync("fn", "sha-1", 1, Ct);
        await Store.PublishVersionAsync("fn", null, Ct);

        await Store.UpsertFunctionConfigAsync(Config("fn") with { Environment = new Dictionary<string, string> { ["B"] = "2", ["A"] = "1" } }, Ct);
        var again = await Store.PublishVersionAsync("fn", null, Ct);

        Assert.Equal(1, again!.Number);
    }

    [Fact]
    public async Task PublishVersion_CodeChangedSinceNewestVersion_CreatesNewVersion()
    {
        await CreateFunctionWithCodeAsync("fn", "sha-1");
        await Store.PublishVersionAsync("fn", null, Ct);
        await Store.SetFunctionCodeAsync("fn", "sha-2", 99, Ct);

        var v2 = await Store.PublishVersionAsync("fn", null, Ct);

        Assert.Equal(2, v2!.Number);
        Assert.Equal("sha-2", v2.CodeSha256);
        Assert.Equal(99, v2.CodeSize);
    }

    [Fact]
    public async Task PublishVersion_ComparesWithNewestVersionOnly()
    {
        await CreateFunctionWithCodeAsync("fn", "sha-1");
        await Store.PublishVersionAsync("fn", null, Ct);                 // 1: sha-1
        await Store.SetFunctionCodeAsync("fn", "sha-2", 1, Ct);
        await Store.PublishVersionAsync("fn", null, Ct);                 // 2: sha-2
        await Store.SetFunctionCodeAsync("fn", "sha-1", 1234, Ct);

        var v3 = await Store.PublishVersionAsync("fn", null, Ct);        // equal to 1, but 2 is the newest

        Assert.Equal(3, v3!.Number);
        Assert.Equal([1, 2, 3], (await Store.ListVersionsAsync("fn", Ct)).Select(v => v.Number));
    }

    [Fact]
    public async Task PublishVersion_WithoutCode_Throws()
    {
        await Store.UpsertFunctionConfigAsync(Config("fn"), Ct);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Store.PublishVersionAsync("fn", null, Ct));

        Assert.Equal("function 'fn' has no code to publish", error.Message);
        Assert.Empty(await Store.ListVersionsAsync("fn", Ct));
    }

    [Fact]
    public async Task PublishVersion_ConcurrentPublishes_GetDistinctConsecutiveNumbers()
    {
        await CreateFunctionWithCodeAsync("fn", "sha-0");
        var store = Store;

        var published = await Task.WhenAll(Enumerable.Range(1, 12).Select(i => Task.Run(async () =>
        {
            await store.SetFunctionCodeAsync("fn", $"sha-{i}", i, Ct);
            return await store.PublishVersionAsync("fn", null, Ct);
        })));

        var numbers = (await Store.ListVersionsAsync("fn", Ct)).Select(v => v.Number).ToList();
        Assert.Equal(Enumerable.Range(1, numbers.Count), numbers);
        Assert.All(published, v => Assert.Contains(v!.Number, numbers));
        // Each digest was $LATEST exactly once, so two versions sharing one would mean a publish saw a stale $LATEST.
        var digests = (await Store.ListVersionsAsync("fn", Ct)).Select(v => v.CodeSha256).ToList();
        Assert.Equal(digests.Count, digests.Distinct().Count());
    }

    [Fact]
    public async Task ListVersions_OnlyThatFunction_OrderedByNumber()
    {
        await CreateFunctionWithCodeAsync("a", "sha-a1");
        await CreateFunctionWithCodeAsync("b", "sha-b1");
        await Store.PublishVersionAsync("a", null, Ct);
        await Store.PublishVersionAsync("b", null, Ct);
        await Store.SetFunctionCodeAsync("a", "sha-a2", 1, Ct);
        await Store.PublishVersionAsync("a", null, Ct);

        var versions = await Store.ListVersionsAsync("a", Ct);

        Assert.Equal([(1, "sha-a1"), (2, "sha-a2")], versions.Select(v => (v.Number, v.CodeSha256)));
        Assert.Null(await Store.GetVersionAsync("a", 3, Ct));
        Assert.Equal("sha-b1", (await Store.GetVersionAsync("b", 1, Ct))!.CodeSha256);
    }

    // ---------------------------------------------------------------- aliases

    [Fact]
    public async Task UpsertAlias_CreatesAndReplaces_StampingUpdatedAtFromClock()
    {
        await PublishTwoVersionsAsync("fn");

        var created = await Store.UpsertAliasAsync(new AliasRecord("fn", "live", 1, null, 0, "prod", DateTimeOffset.UnixEpoch), Ct);
        Clock.Advance(TimeSpan.FromSeconds(30));
        var shifted = await Store.UpsertAliasAsync(new AliasRecord("fn", "live", 1, 2, 0.25, null, DateTimeOffset.UnixEpoch), Ct);
        var read = await Store.GetAliasAsync("fn", "live", Ct);

        Assert.Equal(new AliasRecord("fn", "live", 1, null, 0, "prod", Ms(Start)), created);
        Assert.Equal(new AliasRecord("fn", "live", 1, 2, 0.25, null, Ms(Start + TimeSpan.FromSeconds(30))), shifted);
        Assert.Equal(shifted, read);
    }

    [Fact]
    public async Task ListAliases_OrderedByName_AndDeleteRemovesOnlyThatAlias()
    {
        await PublishTwoVersionsAsync("fn");
        await Store.UpsertAliasAsync(new AliasRecord("fn", "staging", 2, null, 0, null, Start), Ct);
        await Store.UpsertAliasAsync(new AliasRecord("fn", "live", 1, null, 0, null, Start), Ct);

        Assert.Equal(["live", "staging"], (await Store.ListAliasesAsync("fn", Ct)).Select(a => a.Name));
        Assert.True(await Store.DeleteAliasAsync("fn", "staging", Ct));
        Assert.False(await Store.DeleteAliasAsync("fn", "staging", Ct));
        Assert.Null(await Store.GetAliasAsync("fn", "staging", Ct));
        Assert.Equal(["live"], (await Store.ListAliasesAsync("fn", Ct)).Select(a => a.Name));
    }

    [Fact]
    public async Task UpsertAlias_MissingFunctionOrVersion_ThrowsAndStoresNothing()
    {
        await PublishTwoVersionsAsync("fn");

        await Assert.ThrowsAsync<InvalidOperationException>(
            () => Store.UpsertAliasAsync(new AliasRecord("ghost", "live", 1, null, 0, null, Start), Ct));
        await Assert.ThrowsAsync<InvalidOperationException>(
            () => Store.UpsertAliasAsync(new AliasRecord("fn", "live", 3, null, 0, null, Start), Ct));
        await Assert.ThrowsAsync<InvalidOperationException>(
            () => Store.UpsertAliasAsync(new AliasRecord("fn", "live", 1, 7, 0.5, null, Start), Ct));

        Assert.Empty(await Store.ListAliasesAsync("fn", Ct));
    }

    [Fact]
    public async Task DeleteAlias_RemovesItsProvisionedConcurrency()
    {
        await PublishTwoVersionsAsync("fn");
        await Store.UpsertAliasAsync(new AliasRecord("fn", "live", 1, null, 0, null, Start), Ct);
        await Store.SetProvisionedConcurrencyAsync("fn", "live", 2, Ct);
        await Store.SetProvisionedConcurrencyAsync("fn", "1", 1, Ct);

        await Store.DeleteAliasAsync("fn", "live", Ct);

        var routing = await Store.LoadRoutingDataAsync(Ct);
        Assert.Equal([new ProvisionedConcurrencyRecord("fn", "1", 1)], routing.ProvisionedConcurrency);
    }

    // ---------------------------------------------------------------- provisioned concurrency, packages, routing

    [Fact]
    public async Task SetProvisionedConcurrency_SetsReplacesAndZeroRemoves()
    {
        await CreateFunctionWithCodeAsync("fn");

        await Store.SetProvisionedConcurrencyAsync("fn", Qualifier.Latest, 3, Ct);
        await Store.SetProvisionedConcurrencyAsync("fn", "live", 1, Ct);
        await Store.SetProvisionedConcurrencyAsync("fn", "live", 5, Ct);
        var afterSet = (await Store.LoadRoutingDataAsync(Ct)).ProvisionedConcurrency;
        await Store.SetProvisionedConcurrencyAsync("fn", Qualifier.Latest, 0, Ct);
        await Store.SetProvisionedConcurrencyAsync("fn", "never-set", 0, Ct);
        var afterRemove = (await Store.LoadRoutingDataAsync(Ct)).ProvisionedConcurrency;

        Assert.Equal(
            [new ProvisionedConcurrencyRecord("fn", Qualifier.Latest, 3), new ProvisionedConcurrencyRecord("fn", "live", 5)],
            afterSet.OrderBy(p => p.Qualifier, StringComparer.Ordinal));
        Assert.Equal([new ProvisionedConcurrencyRecord("fn", "live", 5)], afterRemove);
    }

    [Fact]
    public async Task SetProvisionedConcurrency_UnknownFunction_Throws()
    {
        await Assert.ThrowsAsync<InvalidOperationException>(() => Store.SetProvisionedConcurrencyAsync("ghost", "live", 1, Ct));
        Assert.Empty((await Store.LoadRoutingDataAsync(Ct)).ProvisionedConcurrency);
    }

    [Fact]
    public async Task LoadRoutingData_ReturnsAllFunctionsVersionsAliasesAndProvisionedConcurrency()
    {
        await PublishTwoVersionsAsync("a");
        await CreateFunctionWithCodeAsync("b");
        await Store.UpsertAliasAsync(new AliasRecord("a", "live", 1, 2, 0.1, null, Start), Ct);
        await Store.SetProvisionedConcurrencyAsync("a", "live", 2, Ct);

        var routing = await Store.LoadRoutingDataAsync(Ct);

        Assert.Equal(["a", "b"], routing.Functions.Select(f => f.Name).Order(StringComparer.Ordinal));
        Assert.Equal([("a", 1), ("a", 2)], routing.Versions.Select(v => (v.FunctionName, v.Number)).Order());
        Assert.Equal([new AliasRecord("a", "live", 1, 2, 0.1, null, Ms(Start))], routing.Aliases);
        Assert.Equal([new ProvisionedConcurrencyRecord("a", "live", 2)], routing.ProvisionedConcurrency);
    }

    // ---------------------------------------------------------------- delete

    [Fact]
    public async Task DeleteFunction_RemovesVersionsAliasesAndProvisionedConcurrency_KeepsLogsAndInvocations()
    {
        await PublishTwoVersionsAsync("fn");
        await PublishTwoVersionsAsync("other");
        await Store.UpsertAliasAsync(new AliasRecord("fn", "live", 2, null, 0, null, Start), Ct);
        await Store.UpsertAliasAsync(new AliasRecord("other", "live", 1, null, 0, null, Start), Ct);
        await Store.SetProvisionedConcurrencyAsync("fn", "live", 1, Ct);
        await Store.SetProvisionedConcurrencyAsync("other", "live", 1, Ct);
        await AppendLogsAsync([Log(Start, "hello", function: "fn")], Ct);
        await Store.AppendInvocationsAsync([Invocation("req-1", Start, function: "fn")], Ct);

        Assert.True(await Store.DeleteFunctionAsync("fn", Ct));

        Assert.Null(await Store.GetFunctionAsync("fn", Ct));
        Assert.Empty(await Store.ListVersionsAsync("fn", Ct));
        Assert.Empty(await Store.ListAliasesAsync("fn", Ct));
        var routing = await Store.LoadRoutingDataAsync(Ct);
        Assert.DoesNotContain(routing.ProvisionedConcurrency, p => p.FunctionName == "fn");
        Assert.Single(routing.ProvisionedConcurrency, p => p.FunctionName == "other");
        Assert.Equal(2, (await Store.ListVersionsAsync("other", Ct)).Count);
        Assert.Single(await Store.ListAliasesAsync("other", Ct));
        Assert.Single(await Store.QueryLogsAsync(new LogQuery("fn"), Ct));
        Assert.Single(await Store.ListInvocationsAsync("fn", 10, Ct));
    }

    [Fact]
    public async Task DeleteFunction_ThenRecreate_StartsAtRevisionOneAndVersionOne()
    {
        await PublishTwoVersionsAsync("fn");
        await Store.DeleteFunctionAsync("fn", Ct);

        var recreated = await Store.UpsertFunctionConfigAsync(Config("fn"), Ct);
        await Store.SetFunctionCodeAsync("fn", "new-sha", 1, Ct);
        var v1 = await Store.PublishVersionAsync("fn", null, Ct);

        Assert.Equal(1, recreated.Revision);
        Assert.Null(recreated.CodeSha256);
        Assert.Equal(1, v1!.Number);
    }

    // ---------------------------------------------------------------- logs

    [Fact]
    public async Task AppendLogs_RoundTripsEveryFieldWithIncreasingIds()
    {
        var time = Start.AddSeconds(1);
        var full = new LogRecord(0, time, "fn", "3", "req-9", "trace-9", "ERROR", "stderr", "boom \u2603", """{"orderId":42}""");
        var sparse = new LogRecord(0, time.AddMilliseconds(1), "fn", "$LATEST", null, null, "INFO", "platform", "START", null);

        await AppendLogsAsync([full, sparse], Ct);
        var logs = await Store.QueryLogsAsync(new LogQuery("fn"), Ct);

        Assert.Equal(2, logs.Count);
        Assert.True(logs[0].Id > 0);
        Assert.True(logs[1].Id > logs[0].Id);
        Assert.Equal(full with { Id = logs[0].Id, Time = Ms(time) }, logs[0]);
        Assert.Equal(sparse with { Id = logs[1].Id, Time = Ms(time.AddMilliseconds(1)) }, logs[1]);
        Assert.Equal(TimeSpan.Zero, logs[0].Time.Offset);
    }

    [Fact]
    public async Task AppendLogs_EmptyBatch_DoesNothing()
    {
        await AppendLogsAsync([], Ct);
        await Store.AppendInvocationsAsync([], Ct);

        Assert.Empty(await Store.QueryLogsAsync(new LogQuery("fn"), Ct));
    }

    [Fact]
    public async Task QueryLogs_FiltersByFunctionRequestAndTimeRange()
    {
        await AppendLogsAsync(
        [
            Log(Start.AddSeconds(1), "a", requestId: "r1"),
            Log(Start.AddSeconds(2), "b", requestId: "r2"),
            Log(Start.AddSeconds(3), "c", requestId: "r1"),
            Log(Start.AddSeconds(4), "d", requestId: null),
            Log(Start.AddSeconds(2), "other", function: "other", requestId: "r1"),
        ], Ct);

        Assert.Equal(["a", "b", "c", "d"], await MessagesAsync(new LogQuery("fn")));
        Assert.Equal(["a", "c"], await MessagesAsync(new LogQuery("fn", RequestId: "r1")));
        // Since is inclusive, Until exclusive.
        Assert.Equal(["b", "c"], await MessagesAsync(new LogQuery("fn", Since: Ms(Start.AddSeconds(2)), Until: Ms(Start.AddSeconds(4)))));
        Assert.Equal(["c", "d"], await MessagesAsync(new LogQuery("fn", Since: Ms(Start.AddSeconds(3)))));
        Assert.Equal(["a"], await MessagesAsync(new LogQuery("fn", Until: Ms(Start.AddSeconds(2)))));
    }

    [Fact]
    public async Task QueryLogs_LevelIsExactAndCaseInsensitive()
    {
        await AppendLogsAsync(
        [
            Log(Start, "info", level: "INFO"),
            Log(Start, "error", level: "ERROR"),
            Log(Start, "warn", level: "WARN"),
            Log(Start, "lower error", level: "error"),
        ], Ct);

        Assert.Equal(["error", "lower error"], await MessagesAsync(new LogQuery("fn", Level: "error")));
        Assert.Equal(["warn"], await MessagesAsync(new LogQuery("fn", Level: "Warn")));
        Assert.Empty(await MessagesAsync(new LogQuery("fn", Level: "WAR")));
    }

    [Fact]
    public async Task QueryLogs_TextIsCaseInsensitiveSubstring_WithPercentAndUnderscoreLiteral()
    {
        await AppendLogsAsync(
        [
            Log(Start, "Payment FAILED for order 7"),
            Log(Start, "payment ok"),
            Log(Start, "disk 100% full"),
            Log(Start, "disk 1000 full"),
            Log(Start, "user_id=5"),
            Log(Start, "userXid=5"),
            Log(Start, @"path C:\temp"),
            Log(Start, "structured", fieldsJson: """{"orderId":"ABC-123"}"""),
        ], Ct);

        Assert.Equal(["Payment FAILED for order 7"], await MessagesAsync(new LogQuery("fn", Text: "payment failed")));
        Assert.Equal(["disk 100% full"], await MessagesAsync(new LogQuery("fn", Text: "100%")));
        Assert.Equal(["user_id=5"], await MessagesAsync(new LogQuery("fn", Text: "user_id")));
        Assert.Equal([@"path C:\temp"], await MessagesAsync(new LogQuery("fn", Text: @":\t")));
        Assert.Equal(["structured"], await MessagesAsync(new LogQuery("fn", Text: "abc-123")));
        Assert.Empty(await MessagesAsync(new LogQuery("fn", Text: "%%")));
    }

    [Fact]
    public async Task QueryLogs_FiltersCombine()
    {
        await AppendLogsAsync(
        [
            Log(Start.AddSeconds(1), "timeout calling db", requestId: "r1", level: "ERROR"),
            Log(Start.AddSeconds(2), "timeout calling db", requestId: "r2", level: "ERROR"),
            Log(Start.AddSeconds(3), "timeout calling db", requestId: "r1", level: "WARN"),
            Log(Start.AddSeconds(4), "other error", requestId: "r1", level: "ERROR"),
        ], Ct);

        var logs = await Store.QueryLogsAsync(new LogQuery("fn", RequestId: "r1", Level: "ERROR", Text: "TIMEOUT"), Ct);

        Assert.Equal([Ms(Start.AddSeconds(1))], logs.Select(l => l.Time));
    }

    [Fact]
    public async Task QueryLogs_MoreMatchThanLimit_ReturnsNewestInAscendingOrder()
    {
        await AppendLogsAsync(Enumerable.Range(1, 10).Select(i => Log(Start.AddSeconds(i), $"m{i}")).ToList(), Ct);

        Assert.Equal(["m8", "m9", "m10"], await MessagesAsync(new LogQuery("fn", Limit: 3)));
    }

    [Fact]
    public async Task QueryLogs_RecordsAppendedOutOfTimeOrder_ComeBackOldestFirst()
    {
        await AppendLogsAsync([Log(Start.AddSeconds(5), "late batch line")], Ct);
        await AppendLogsAsync([Log(Start.AddSeconds(1), "early line from a slower batch")], Ct);

        Assert.Equal(["early line from a slower batch", "late batch line"], await MessagesAsync(new LogQuery("fn")));
    }

    [Fact]
    public async Task QueryLogs_AfterId_PagesForwardFromThatRecord()
    {
        await AppendLogsAsync(Enumerable.Range(1, 5).Select(i => Log(Start.AddSeconds(i), $"m{i}")).ToList(), Ct);
        var all = await Store.QueryLogsAsync(new LogQuery("fn"), Ct);

        var page1 = await Store.QueryLogsAsync(new LogQuery("fn", AfterId: all[0].Id, Limit: 2), Ct);
        var page2 = await Store.QueryLogsAsync(new LogQuery("fn", AfterId: page1[^1].Id, Limit: 2), Ct);
        var page3 = await Store.QueryLogsAsync(new LogQuery("fn", AfterId: page2[^1].Id, Limit: 2), Ct);
        await AppendLogsAsync([Log(Start.AddSeconds(9), "m6"), Log(Start.AddSeconds(9), "noise", function: "other")], Ct);
        var followed = await Store.QueryLogsAsync(new LogQuery("fn", AfterId: page2[^1].Id, Limit: 2), Ct);

        Assert.Equal(["m2", "m3"], page1.Select(l => l.Message));
        Assert.Equal(["m4", "m5"], page2.Select(l => l.Message));
        Assert.Empty(page3);
        Assert.Equal(["m6"], followed.Select(l => l.Message));
    }

    [Fact]
    public async Task QueryLogs_AfterIdWithFilters_AppliesBoth()
    {
        await AppendLogsAsync(
        [
            Log(Start, "e1", level: "ERROR"),
            Log(Start, "i1", level: "INFO"),
            Log(Start, "e2", level: "ERROR"),
            Log(Start, "e3", level: "ERROR"),
        ], Ct);
        var first = (await Store.QueryLogsAsync(new LogQuery("fn"), Ct))[0];

        Assert.Equal(["e2", "e3"], await MessagesAsync(new LogQuery("fn", Level: "ERROR", AfterId: first.Id)));
    }

    // ---------------------------------------------------------------- invocations

    [Fact]
    public async Task AppendInvocations_RoundTripsEveryField_ListsNewestFirstUpToLimit()
    {
        var full = new InvocationRecord("req-a", "fn", "3", "live", Start.AddSeconds(1), 123.456, 78.9, true,
            InvocationOutcome.Timeout, "Sandbox.Timedout", 512, "0af7651916cd43dd8448eb211c80319c");
        var sparse = new InvocationRecord("req-b", "fn", "$LATEST", null, Start.AddSeconds(2), 1, null, false,
            InvocationOutcome.Success, null, 30, null);
        var third = Invocation("req-c", Start.AddSeconds(3));

        await Store.AppendInvocationsAsync([full, sparse, third, Invocation("req-x", Start, function: "other")], Ct);
        var listed = await Store.ListInvocationsAsync("fn", 10, Ct);
        var limited = await Store.ListInvocationsAsync("fn", 2, Ct);

        Assert.Equal(
            [third with { StartedAt = Ms(third.StartedAt) }, sparse with { StartedAt = Ms(sparse.StartedAt) }, full with { StartedAt = Ms(full.StartedAt) }],
            listed);
        Assert.Equal(["req-c", "req-b"], limited.Select(i => i.RequestId));
    }

    [Fact]
    public async Task AppendInvocations_EveryOutcome_RoundTrips()
    {
        var outcomes = Enum.GetValues<InvocationOutcome>();
        await Store.AppendInvocationsAsync(
            outcomes.Select((o, i) => Invocation($"req-{i}", Start.AddSeconds(i)) with { Outcome = o }).ToList(), Ct);

        var listed = await Store.ListInvocationsAsync("fn", 100, Ct);

        Assert.Equal(outcomes.Reverse(), listed.Select(i => i.Outcome));
    }

    [Fact]
    public async Task AppendInvocations_SameRequestIdAgain_KeepsLatestAttempt()
    {
        await Store.AppendInvocationsAsync([Invocation("req-1", Start) with { Outcome = InvocationOutcome.FunctionError }], Ct);
        await Store.AppendInvocationsAsync([Invocation("req-1", Start.AddSeconds(60)) with { Outcome = InvocationOutcome.Success }], Ct);

        var listed = await Store.ListInvocationsAsync("fn", 10, Ct);

        Assert.Equal([(InvocationOutcome.Success, Ms(Start.AddSeconds(60)))], listed.Select(i => (i.Outcome, i.StartedAt)));
    }

    // ---------------------------------------------------------------- concurrency, durability, schema

    [Fact]
    public async Task ConcurrentWriters_AppendingLogsWhileUpsertingFunctions_AllSucceed()
    {
        const int writers = 8, batches = 25, batchSize = 20, functions = 40;
        var store = Store;

        var logWriters = Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            for (var b = 0; b < batches; b++)
            {
                var batch = Enumerable.Range(0, batchSize).Select(i => Log(Start.AddMilliseconds(i), $"w{w}-b{b}-{i}", requestId: $"w{w}")).ToList();
                await store.AppendLogsAsync(batch, Ct);
            }
        }));
        var upserter = Task.Run(async () =>
        {
            for (var f = 0; f < functions; f++)
            {
                await store.UpsertFunctionConfigAsync(Config($"fn-{f}"), Ct);
                await store.SetFunctionCodeAsync($"fn-{f}", $"sha-{f}", f, Ct);
                await store.PublishVersionAsync($"fn-{f}", null, Ct);
            }
        });
        var reader = Task.Run(async () =>
        {
            for (var r = 0; r < 20; r++)
            {
                await store.QueryLogsAsync(new LogQuery("fn", Limit: 50), Ct);
                await store.LoadRoutingDataAsync(Ct);
            }
        });

        await Task.WhenAll([.. logWriters, upserter, reader]);

        var logs = await Store.QueryLogsAsync(new LogQuery("fn", Limit: 100_000), Ct);
        Assert.Equal(writers * batches * batchSize, logs.Count);
        Assert.Equal(logs.Count, logs.Select(l => l.Id).Distinct().Count());
        for (var w = 0; w < writers; w++)
        {
            Assert.Equal(batches * batchSize, (await Store.QueryLogsAsync(new LogQuery("fn", RequestId: $"w{w}", Limit: 100_000), Ct)).Count);
        }

        var routing = await Store.LoadRoutingDataAsync(Ct);
        Assert.Equal(functions, routing.Functions.Count);
        Assert.Equal(functions, routing.Versions.Count);
    }

    [Fact]
    public async Task Reopen_KeepsEverything()
    {
        await PublishTwoVersionsAsync("fn");
        await Store.UpsertAliasAsync(new AliasRecord("fn", "live", 1, 2, 0.5, "canary", Start), Ct);
        await Store.SetProvisionedConcurrencyAsync("fn", "live", 2, Ct);
        await Store.RecordPackageAsync("sha-1", 10, Ct);
        await AppendLogsAsync([Log(Start, "one"), Log(Start.AddSeconds(1), "two")], Ct);
        await Store.AppendInvocationsAsync([Invocation("req-1", Start)], Ct);
        var routingBefore = await Store.LoadRoutingDataAsync(Ct);
        var logsBefore = await Store.QueryLogsAsync(new LogQuery("fn"), Ct);
        var invocationsBefore = await Store.ListInvocationsAsync("fn", 10, Ct);

        await CloseAsync(Store);
        var reopened = await OpenStoreAsync();

        var routingAfter = await reopened.LoadRoutingDataAsync(Ct);
        // Configs hold dictionaries (reference equality), so records are compared with the config blanked out.
        var blank = Config("x");
        Assert.Equal(routingBefore.Functions.Select(f => f with { Config = blank }), routingAfter.Functions.Select(f => f with { Config = blank }));
        Assert.Equal(routingBefore.Versions.Select(v => v with { Config = blank }), routingAfter.Versions.Select(v => v with { Config = blank }));
        Assert.Equal(routingBefore.Aliases, routingAfter.Aliases);
        Assert.Equal(routingBefore.ProvisionedConcurrency, routingAfter.ProvisionedConcurrency);
        AssertSameConfig(routingBefore.Functions[0].Config, routingAfter.Functions[0].Config);
        Assert.Equal(logsBefore, await reopened.QueryLogsAsync(new LogQuery("fn"), Ct));
        Assert.Equal(invocationsBefore, await reopened.ListInvocationsAsync("fn", 10, Ct));

        // Ids keep increasing after a restart, so a follow that started before it misses nothing.
        await reopened.AppendLogsAsync([Log(Start.AddSeconds(2), "three")], Ct);
        var next = await reopened.QueryLogsAsync(new LogQuery("fn", AfterId: logsBefore[^1].Id), Ct);
        Assert.Equal(["three"], next.Select(l => l.Message));
    }

    [Fact]
    public async Task Initialize_Repeated_IsIdempotentAndKeepsData()
    {
        await CreateFunctionWithCodeAsync("fn");

        await Store.InitializeAsync(Ct);
        var second = await OpenStoreAsync();
        await second.InitializeAsync(Ct);

        Assert.Equal("aaa111", (await Store.GetFunctionAsync("fn", Ct))!.CodeSha256);
        Assert.Equal("aaa111", (await second.GetFunctionAsync("fn", Ct))!.CodeSha256);
        await second.UpsertFunctionConfigAsync(Config("fn2"), Ct);
        Assert.Equal(2, (await Store.ListFunctionsAsync(Ct)).Count);
    }

    protected async Task PublishTwoVersionsAsync(string name)
    {
        await CreateFunctionWithCodeAsync(name, $"{name}-sha-1");
        await Store.PublishVersionAsync(name, null, Ct);
        await Store.SetFunctionCodeAsync(name, $"{name}-sha-2", 2, Ct);
        await Store.PublishVersionAsync(name, null, Ct);
    }

    private async Task<IReadOnlyList<string>> MessagesAsync(LogQuery query) =>
        (await Store.QueryLogsAsync(query, Ct)).Select(l => l.Message).ToList();
}
