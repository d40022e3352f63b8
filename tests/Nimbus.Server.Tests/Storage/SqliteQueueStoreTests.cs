using Nimbus.Core.Queues;
using Nimbus.Server.Events.Queues;
using Nimbus.Server.Storage;
using Nimbus.Server.Tests.Events;

namespace Nimbus.Server.Tests.Storage;

/// <summary>The queue store on a real SQLite file and a fake clock: receive, hide, delete, dead-letter, retain, bound.</summary>
public sealed class SqliteQueueStoreTests : IAsyncLifetime
{
    private static readonly TimeSpan s_visibility = TimeSpan.FromSeconds(30);
    private QueueFixture _fixture = null!;
    private SqliteQueueStore _queues = null!;

    private DateTimeOffset Now => _fixture.Clock.GetUtcNow();

    public async Task InitializeAsync()
    {
        _fixture = await QueueFixture.CreateAsync();
        _queues = new SqliteQueueStore(_fixture.Store);
    }

    public async Task DisposeAsync() => await _fixture.DisposeAsync();

    private Task PutAsync(QueueConfig config) => _queues.PutQueueAsync(config, Now, CancellationToken.None);

    private Task<IReadOnlyList<SendStatus>> SendAsync(string queue, params string[] bodies) =>
        _queues.SendAsync(queue, [.. bodies.Select(b => new NewQueueMessage(b))], Now, CancellationToken.None);

    private Task<ReceivedBatch> ReceiveAsync(string queue, int batchSize = 10, TimeSpan window = default) =>
        _queues.ReceiveAsync(queue, batchSize, window, s_visibility, Now, CancellationToken.None);

    [Fact]
    public async Task AReceivedMessage_IsHiddenForTheVisibilityTimeout_ThenReceivedAgainWithANewHandle()
    {
        await PutAsync(new QueueConfig { Name = "q" });
        await SendAsync("q", "a");

        var first = Assert.Single((await ReceiveAsync("q")).Messages);
        Assert.Equal(1, first.ReceiveCount);
        Assert.Empty((await ReceiveAsync("q")).Messages);

        _fixture.Clock.Advance(s_visibility);
        var second = Assert.Single((await ReceiveAsync("q")).Messages);
        Assert.Equal(2, second.ReceiveCount);
        Assert.NotEqual(first.ReceiptHandle, second.ReceiptHandle);

        Assert.Equal(0, await _queues.DeleteAsync([first], CancellationToken.None));
        Assert.Equal(1, await _queues.DeleteAsync([second], CancellationToken.None));
        Assert.Equal(0, (await _queues.StatsAsync("q", Now, CancellationToken.None)).Depth);
    }

    [Fact]
    public async Task TheReceiveAfterMaxReceiveCount_MovesTheMessageToTheDeadLetterQueue()
    {
        await PutAsync(new QueueConfig { Name = "q", MaxReceiveCount = 2 });
        await SendAsync("q", "poison");
        Assert.Single((await ReceiveAsync("q")).Messages);
        _fixture.Clock.Advance(s_visibility);
        Assert.Single((await ReceiveAsync("q")).Messages);
        _fixture.Clock.Advance(s_visibility);

        var third = await ReceiveAsync("q");
        Assert.Empty(third.Messages);
        Assert.Equal(1, third.DeadLettered);
        var stats = await _queues.StatsAsync("q", Now, CancellationToken.None);
        Assert.Equal((0L, 1L), (stats.Depth, stats.DeadLettered));
        Assert.Equal(2, Assert.Single(await _queues.ListDeadLettersAsync("q", 10, CancellationToken.None)).ReceiveCount);
    }

    [Fact]
    public async Task APartialBatch_WaitsForTheBatchingWindow()
    {
        await PutAsync(new QueueConfig { Name = "q" });
        await SendAsync("q", "a", "b");

        var early = await ReceiveAsync("q", window: TimeSpan.FromSeconds(2));
        Assert.Empty(early.Messages);
        Assert.Equal(Now.AddSeconds(2), early.WindowDueAt);

        _fixture.Clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(2, (await ReceiveAsync("q", window: TimeSpan.FromSeconds(2))).Messages.Count);
    }

    [Fact]
    public async Task ABatch_TakesAtMostBatchSizeMessages_OldestFirst()
    {
        await PutAsync(new QueueConfig { Name = "q" });
        await SendAsync("q", [.. Enumerable.Range(1, 12).Select(i => $"m{i:00}")]);

        var batch = await ReceiveAsync("q", batchSize: 10);
        Assert.Equal(10, batch.Messages.Count);
        Assert.Equal(2, (await ReceiveAsync("q", batchSize: 10)).Messages.Count);
    }

    [Fact]
    public async Task DelayedMessages_StayHiddenUntilTheirDelayEnds()
    {
        await PutAsync(new QueueConfig { Name = "q", DelaySeconds = 10 });
        await SendAsync("q", "later");
        Assert.Empty((await ReceiveAsync("q")).Messages);
        Assert.Equal(1, (await _queues.StatsAsync("q", Now, CancellationToken.None)).Delayed);

        _fixture.Clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Single((await ReceiveAsync("q")).Messages);
    }

    [Fact]
    public async Task MessagesOlderThanRetention_AreDeletedUnread()
    {
        await PutAsync(new QueueConfig { Name = "q", RetentionSeconds = 60 });
        await SendAsync("q", "old");
        _fixture.Clock.Advance(TimeSpan.FromSeconds(60));

        Assert.Empty((await ReceiveAsync("q")).Messages);
        Assert.Equal(0, (await _queues.StatsAsync("q", Now, CancellationToken.None)).Depth);
    }

    [Fact]
    public async Task AFullQueue_RefusesTheSendsBeyondItsDepth_AndAnUnknownQueueRefusesAll()
    {
        await PutAsync(new QueueConfig { Name = "q", MaximumDepth = 2 });
        Assert.Equal([SendStatus.Accepted, SendStatus.Accepted, SendStatus.QueueFull], await SendAsync("q", "a", "b", "c"));
        Assert.Equal([SendStatus.QueueNotFound], await SendAsync("nope", "a"));
    }

    [Fact]
    public async Task MessagesAndTheirState_SurviveAReopenOfTheStore()
    {
        await PutAsync(new QueueConfig { Name = "q" });
        await SendAsync("q", "a", "b");
        var received = Assert.Single((await ReceiveAsync("q", batchSize: 1)).Messages);

        await _fixture.ReopenAsync();
        _queues = new SqliteQueueStore(_fixture.Store);
        var stats = await _queues.StatsAsync("q", Now, CancellationToken.None);
        Assert.Equal((2L, 1L, 1L), (stats.Depth, stats.Visible, stats.InFlight));
        Assert.Equal(1, await _queues.DeleteAsync([received], CancellationToken.None));
    }
}
