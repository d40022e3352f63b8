using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using Nimbus.Server.Storage;

namespace Nimbus.Server.Tests.Events;

/// <summary>A real SQLite file with the event queue on it, and a fake clock; deleted afterwards.</summary>
public sealed class QueueFixture : IAsyncDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "nimbus-queue-tests", Guid.NewGuid().ToString("N"));

    private QueueFixture()
    {
        Clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));
        Store = new SqliteStore(DatabasePath, Clock);
        Queue = new SqliteEventQueue(Store, Clock);
    }

    public FakeTimeProvider Clock { get; }
    public SqliteStore Store { get; private set; }
    public SqliteEventQueue Queue { get; private set; }
    public string DatabasePath => Path.Combine(_directory, "nimbus.db");

    public static async Task<QueueFixture> CreateAsync()
    {
        var fixture = new QueueFixture();
        await fixture.Store.InitializeAsync(CancellationToken.None);
        return fixture;
    }

    /// <summary>Closes the store and opens the same file again, as a restart does.</summary>
    public async Task ReopenAsync()
    {
        await Store.DisposeAsync();
        Store = new SqliteStore(DatabasePath, Clock);
        await Store.InitializeAsync(CancellationToken.None);
        Queue = new SqliteEventQueue(Store, Clock);
    }

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
