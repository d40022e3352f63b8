using Microsoft.Data.Sqlite;
using Nimbus.Core.Logs;
using Nimbus.Server.Storage;

namespace Nimbus.Server.Tests.Storage;

/// <summary>The store contract against a real SQLite file, plus what is specific to SQLite.</summary>
public sealed class SqliteStoreTests : StoreContractTests
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "nimbus-store-tests", Guid.NewGuid().ToString("N"));

    private string DatabasePath => Path.Combine(_directory, "data", "nimbus.db");

    protected override INimbusStore CreateStore(TimeProvider timeProvider) => new SqliteStore(DatabasePath, timeProvider);

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task AnInvocationsStartEndAndReport_AreOneRow_AndIdsGoOnFromTheLargestStored()
    {
        await Store.AppendLogsAsync([StartMarker(Start, "r1"), Log(Start, "hello", requestId: "r1"), EndMarker(Start.AddMilliseconds(3), "r1")], Ct);
        await Store.AppendLogsAsync([Log(Start.AddMilliseconds(4), "after")], Ct);

        Assert.Equal(3L, await ScalarAsync<long>("SELECT count(*) FROM logs"));
        Assert.Equal(1L, await ScalarAsync<long>("SELECT count(*) FROM logs WHERE frame = 2"));
        var ids = (await Store.QueryLogsAsync(new Nimbus.Core.Logs.LogQuery("fn"), Ct)).Select(l => l.Id).ToList();
        Assert.Equal(Enumerable.Range(0, 5).Select(i => ids[0] + i), ids);
    }

    [Fact]
    public async Task Initialize_CreatesDirectoryAndFileInWalMode()
    {
        Assert.True(File.Exists(DatabasePath), $"expected the database at {DatabasePath}");
        Assert.Equal("wal", await ScalarAsync<string>("PRAGMA journal_mode"));
        Assert.Equal(DatabasePath, ((SqliteStore)Store).DatabasePath);
    }

    [Fact]
    public async Task Initialize_RecordsSchemaVersionOnce_EvenWhenRunAgain()
    {
        await Store.InitializeAsync(Ct);
        await OpenStoreAsync();

        Assert.Equal((long)SqliteSchemaVersion, await ScalarAsync<long>("SELECT count(*) FROM schema_version"));
        Assert.Equal((long)SqliteSchemaVersion, await ScalarAsync<long>("SELECT max(version) FROM schema_version"));
    }

    [Fact]
    public async Task Initialize_DatabaseFromNewerNimbus_RefusesToOpen()
    {
        await ExecuteAsync("INSERT INTO schema_version (version) VALUES (99)");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(OpenStoreAsync);
        await using var refused = new SqliteStore(DatabasePath, Clock);
        await Assert.ThrowsAsync<InvalidOperationException>(() => refused.InitializeAsync(Ct));

        Assert.Contains("version 99", error.Message, StringComparison.Ordinal);
        // A store whose migration failed must not write into the newer schema.
        await Assert.ThrowsAsync<InvalidOperationException>(() => refused.RecordPackageAsync("sha", 1, Ct));
    }

    [Fact]
    public async Task UseBeforeInitialize_Throws()
    {
        await using var store = new SqliteStore(Path.Combine(_directory, "other.db"), Clock);

        await Assert.ThrowsAsync<InvalidOperationException>(() => store.ListFunctionsAsync(Ct));
        await Assert.ThrowsAsync<InvalidOperationException>(() => store.RecordPackageAsync("sha", 1, Ct));
    }

    [Fact]
    public async Task RecordPackage_Twice_KeepsOneRowWithTheFirstSizeAndTime()
    {
        // The contract has no read for packages, so what "idempotent" means is asserted on the table itself.
        await Store.RecordPackageAsync("sha-1", 10, Ct);
        Clock.Advance(TimeSpan.FromSeconds(1));
        await Store.RecordPackageAsync("sha-1", 99, Ct);
        await Store.RecordPackageAsync("sha-2", 20, Ct);

        Assert.Equal(2L, await ScalarAsync<long>("SELECT count(*) FROM packages"));
        Assert.Equal(10L, await ScalarAsync<long>("SELECT size FROM packages WHERE sha256 = 'sha-1'"));
        Assert.Equal(Ms(Start).ToUnixTimeMilliseconds(), await ScalarAsync<long>("SELECT created_at FROM packages WHERE sha256 = 'sha-1'"));
        Assert.Equal(20L, await ScalarAsync<long>("SELECT size FROM packages WHERE sha256 = 'sha-2'"));
    }

    [Fact]
    public async Task ConfigColumn_IsCamelCaseJson()
    {
        await Store.UpsertFunctionConfigAsync(Config("fn") with { ReservedConcurrency = 5 }, Ct);

        var json = await ScalarAsync<string>("SELECT config FROM functions WHERE name = 'fn'");

        Assert.Contains("\"reservedConcurrency\":5", json, StringComparison.Ordinal);
        Assert.Contains("\"memoryMb\":128", json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TwoStoresOnOneFile_WritingConcurrently_BothSucceed()
    {
        // Two processes (e.g. a restarted server overlapping the old one) each serialize only their own writes;
        // busy_timeout has to absorb the contention between them.
        var other = await OpenStoreAsync();
        var stores = new[] { Store, other };

        await Task.WhenAll(stores.SelectMany((store, s) => Enumerable.Range(0, 3).Select(w => Task.Run(async () =>
        {
            for (var b = 0; b < 30; b++)
            {
                await store.AppendLogsAsync([Log(Start, $"s{s}-w{w}-b{b}"), Log(Start, "second")], Ct);
            }
        }))));

        Assert.Equal(2 * 3 * 30 * 2, (await Store.QueryLogsAsync(new LogQuery("fn", Limit: 10_000), Ct)).Count);
    }

    [Fact]
    public async Task CommittedWrites_AreInTheFile_BeforeTheWriterCloses()
    {
        await CreateFunctionWithCodeAsync("fn");
        await Store.AppendLogsAsync([Log(Start, "persisted")], Ct);

        // A separate store reads the file, not the first store's memory.
        var other = await OpenStoreAsync();

        Assert.Equal("aaa111", (await other.GetFunctionAsync("fn", Ct))!.CodeSha256);
        Assert.Equal(["persisted"], (await other.QueryLogsAsync(new LogQuery("fn"), Ct)).Select(l => l.Message));
    }

    [Fact]
    public async Task TryUpsertFunctionConfig_ThirtyConcurrentPairsOnTwoStores_ExactlyOneOfEachPairWins()
    {
        // Two stores on one file are two nodes: only the transaction can decide, not a lock in one process.
        var other = await OpenStoreAsync();
        var pairs = Enumerable.Range(0, 30).Select(i => new[]
        {
            Task.Run(() => Store.TryUpsertFunctionConfigAsync(PairConfig($"a{i}", i), Ct)),
            Task.Run(() => other.TryUpsertFunctionConfigAsync(PairConfig($"b{i}", i), Ct)),
        }).ToArray();
        await Task.WhenAll(pairs.SelectMany(p => p));

        for (var i = 0; i < pairs.Length; i++)
        {
            var (a, b) = (await pairs[i][0], await pairs[i][1]);
            Assert.True((a.Saved is null) != (b.Saved is null), $"pair {i}: a saved={a.Saved is not null}, b saved={b.Saved is not null}");
            var loser = a.Saved is null ? a : b;
            Assert.Equal(a.Saved is null ? $"b{i}" : $"a{i}", Assert.Single(loser.Conflicts).Owner);
        }

        Assert.Equal(30, (await Store.ListFunctionsAsync(Ct)).Count);
    }

    [Fact]
    public async Task LoadRoutingData_RowWithUnreadableConfig_IsSkippedAndReported_OthersLoad()
    {
        await CreateFunctionWithCodeAsync("good");
        await ExecuteAsync("INSERT INTO functions (name, config, code_size, revision, created_at, updated_at) VALUES ('broken', '{not json', 0, 1, 0, 0)");

        var data = await Store.LoadRoutingDataAsync(Ct);

        Assert.Equal(["good"], data.Functions.Select(f => f.Name));
        var skipped = Assert.Single(data.Skipped);
        Assert.Equal(("functions", "broken"), (skipped.Table, skipped.Key));
    }

    [Fact]
    public async Task TryUpsertFunctionConfig_WithAnUnreadableRowStored_StillChecksAndWrites()
    {
        await ExecuteAsync("INSERT INTO functions (name, config, code_size, revision, created_at, updated_at) VALUES ('broken', 'null', 0, 1, 0, 0)");

        var result = await Store.TryUpsertFunctionConfigAsync(Config("fine") with { Routes = [new("GET", "/fine")] }, Ct);

        Assert.NotNull(result.Saved);
    }

    private static int SqliteSchemaVersion => SqliteSchema.LatestVersion;

    private static Nimbus.Core.Functions.FunctionConfig PairConfig(string name, int route) =>
        Config(name) with { Routes = [new("GET", $"/pair/{route}")] };

    private async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (T)(await command.ExecuteScalarAsync())!;
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}
