using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using Nimbus.Server.Security;
using Nimbus.Server.Storage;

namespace Nimbus.Server.Tests.Storage;

/// <summary>Observed access is counted in memory and written in the background; reads see every attempt made before them.</summary>
public sealed class ObservedAccessStoreTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "nimbus-observed-" + Guid.NewGuid().ToString("n")[..12]);
    private readonly FakeTimeProvider _time = new(T0);
    private SqliteStore _store = null!;
    private ObservedAccessStore _observed = null!;

    public async Task InitializeAsync()
    {
        _store = new SqliteStore(Path.Combine(_directory, "nimbus.db"), _time);
        await _store.InitializeAsync(CancellationToken.None);
        _observed = new ObservedAccessStore(_store, _time);
    }

    public async Task DisposeAsync()
    {
        await _observed.DisposeAsync();
        await _store.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private async Task<long> StoredRowsAsync()
    {
        await using var connection = new SqliteConnection($"Data Source={_store.DatabasePath};Pooling=False");
        await connection.OpenAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM observed_access");
    }

    [Fact]
    public async Task Record_RepeatedAttempts_AreOneRowWithEveryCountAndTheLatestTime()
    {
        _observed.Record("fn", "lambda:InvokeFunction", "other", allowed: true, T0.AddSeconds(2));
        _observed.Record("fn", "lambda:InvokeFunction", "other", allowed: true, T0);
        _observed.Record("fn", "lambda:InvokeFunction", "other", allowed: false, T0.AddSeconds(1));
        _observed.Record("fn", "secrets:GetSecretValue", "db", allowed: true, T0);
        _observed.Record("someone-else", "secrets:GetSecretValue", "db", allowed: true, T0);

        var access = await _observed.ListAsync("fn", CancellationToken.None);

        Assert.Equal(2, access.Count);
        var invoke = access[0];
        Assert.Equal(("lambda:InvokeFunction", "other", 2L, 1L, T0.AddSeconds(2)), (invoke.Action, invoke.Resource, invoke.Allowed, invoke.Denied, invoke.LastAt));
        Assert.Equal(("secrets:GetSecretValue", 1L, 0L), (access[1].Action, access[1].Allowed, access[1].Denied));
    }

    [Fact]
    public async Task Record_IsWrittenWhenTheFlushDelayHasPassed_AndAddsToWhatIsStored()
    {
        _observed.Record("fn", "lambda:InvokeFunction", "other", allowed: true, T0);
        Assert.Equal(0, await StoredRowsAsync());

        _time.Advance(ObservedAccessStore.FlushDelay);
        Assert.Equal(1, await StoredRowsAsync());

        _observed.Record("fn", "lambda:InvokeFunction", "other", allowed: false, T0.AddSeconds(5));
        _time.Advance(ObservedAccessStore.FlushDelay);
        var stored = Assert.Single(await _observed.ListAsync("fn", CancellationToken.None));
        Assert.Equal((1L, 1L, T0.AddSeconds(5)), (stored.Allowed, stored.Denied, stored.LastAt));
    }

    [Fact]
    public async Task DisposeAsync_WritesWhatIsPending()
    {
        _observed.Record("fn", "lambda:InvokeFunction", "other", allowed: true, T0);

        await _observed.DisposeAsync();

        Assert.Equal(1, await StoredRowsAsync());
    }
}
