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

        Assert.Equal((long)SqliteSchema.LatestVersion, await ScalarAsync<long>("SELECT count(*) FROM schema_version"));
        Assert.Equal((long)SqliteSchema.LatestVersion, await ScalarAsync<long>("SELECT max(version) FROM schema_version"));
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
    public async Task RecordPackage_StoresOneRowPerDigestWithFirstSize()
    {
        await Store.RecordPackageAsync("sha-1", 10, Ct);
        Clock.Advance(TimeSpan.FromSeconds(1));
        await Store.RecordPackageAsync("sha-1", 10, Ct);
        await Store.RecordPackageAsync("sha-2", 20, Ct);

        Assert.Equal(2L, await ScalarAsync<long>("SELECT count(*) FROM packages"));
        Assert.Equal(Ms(Start).ToUnixTimeMilliseconds(), await ScalarAsync<long>("SELECT created_at FROM packages WHERE sha256 = 'sha-1'"));
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
