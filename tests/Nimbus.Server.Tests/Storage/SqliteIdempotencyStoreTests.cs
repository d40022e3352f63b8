using Microsoft.Extensions.Time.Testing;
using Nimbus.Core.Idempotency;
using Nimbus.Core.Invocations;
using Nimbus.Server.Storage;

namespace Nimbus.Server.Tests.Storage;

/// <summary>Idempotency records in a real SQLite file, across a close and reopen of the store (a restart).</summary>
public sealed class SqliteIdempotencyStoreTests : IAsyncDisposable
{
    private static readonly TimeSpan s_limit = TimeSpan.FromSeconds(13);
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "nimbus-idempotency-tests", Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));
    private SqliteStore? _store;

    [Fact]
    public async Task CompletedRecord_SurvivesARestart_AndIsReplayedUntilItsTtl()
    {
        var records = await OpenAsync();
        var claim = IdempotencyPolicy.Claim("orders", "k1", "r1", _time.GetUtcNow(), s_limit);
        Assert.Equal(IdempotencyDecision.Run, (await records.ClaimAsync(claim, CancellationToken.None)).Decision);
        await records.FinishAsync(claim, IdempotencyPolicy.Finish(claim, InvocationOutcome.Success, "{\"ok\":1}"u8.ToArray(), "2", TimeSpan.FromHours(1), _time.GetUtcNow()),
            CancellationToken.None);

        records = await ReopenAsync();
        _time.Advance(TimeSpan.FromMinutes(59));
        var (decision, stored) = await records.ClaimAsync(IdempotencyPolicy.Claim("orders", "k1", "r2", _time.GetUtcNow(), s_limit), CancellationToken.None);

        Assert.Equal(IdempotencyDecision.ReturnStored, decision);
        Assert.Equal("r1", stored!.RequestId);
        Assert.Equal("{\"ok\":1}", System.Text.Encoding.UTF8.GetString(stored.Response.Span));
        Assert.Equal("2", stored.ExecutedVersion);

        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(IdempotencyDecision.Run, (await records.ClaimAsync(IdempotencyPolicy.Claim("orders", "k1", "r3", _time.GetUtcNow(), s_limit), CancellationToken.None)).Decision);
    }

    [Fact]
    public async Task InProgressRecord_ConflictsUntilTheProcessThatHeldItIsGone()
    {
        var records = await OpenAsync();
        await records.ClaimAsync(IdempotencyPolicy.Claim("orders", "k2", "r1", _time.GetUtcNow(), s_limit), CancellationToken.None);
        Assert.Equal(IdempotencyDecision.Conflict,
            (await records.ClaimAsync(IdempotencyPolicy.Claim("orders", "k2", "r2", _time.GetUtcNow(), s_limit), CancellationToken.None)).Decision);

        // kill -9: the process never finished its record. The next start frees the key at once.
        records = await ReopenAsync();
        Assert.Equal(1, await records.ReleaseAbandonedAsync(_time.GetUtcNow(), CancellationToken.None));
        Assert.Equal(IdempotencyDecision.Run,
            (await records.ClaimAsync(IdempotencyPolicy.Claim("orders", "k2", "r3", _time.GetUtcNow(), s_limit), CancellationToken.None)).Decision);
    }

    [Fact]
    public async Task FinishOfAClaimThatWasTakenOver_ChangesNothing()
    {
        var records = await OpenAsync();
        var stale = IdempotencyPolicy.Claim("orders", "k3", "r1", _time.GetUtcNow(), s_limit);
        await records.ClaimAsync(stale, CancellationToken.None);
        _time.Advance(s_limit + IdempotencyPolicy.InProgressMargin);
        var current = IdempotencyPolicy.Claim("orders", "k3", "r2", _time.GetUtcNow(), s_limit);
        Assert.Equal(IdempotencyDecision.Run, (await records.ClaimAsync(current, CancellationToken.None)).Decision);

        await records.FinishAsync(stale, null, CancellationToken.None);

        var record = await records.GetAsync("orders", "k3", CancellationToken.None);
        Assert.Equal("r2", record!.RequestId);
        Assert.Equal(IdempotencyState.InProgress, record.State);
    }

    public async ValueTask DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }

        Directory.Delete(_directory, recursive: true);
    }

    private async Task<SqliteIdempotencyStore> OpenAsync()
    {
        _store = new SqliteStore(Path.Combine(_directory, "nimbus.db"), _time);
        await _store.InitializeAsync(CancellationToken.None);
        return new SqliteIdempotencyStore(_store);
    }

    private async Task<SqliteIdempotencyStore> ReopenAsync()
    {
        await _store!.DisposeAsync();
        return await OpenAsync();
    }
}
