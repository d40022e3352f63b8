using Microsoft.Extensions.Logging.Abstractions;
using Nimbus.Core.Events;
using Nimbus.Server.Events;

namespace Nimbus.Server.Tests.Events;

public sealed class AsyncEventAcceptorTests : IAsyncLifetime
{
    private QueueFixture _fixture = null!;
    private AsyncEventAcceptor _acceptor = null!;

    public async Task InitializeAsync()
    {
        _fixture = await QueueFixture.CreateAsync();
        _acceptor = new AsyncEventAcceptor(_fixture.Queue, new AsyncEventSignal(), new AsyncEventOptions { MaxBatch = 64 },
            NullLogger<AsyncEventAcceptor>.Instance);
        await _acceptor.StartAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _acceptor.StopAsync(CancellationToken.None);
        await _fixture.DisposeAsync();
    }

    [Fact]
    public async Task Accept_ManyConcurrentEvents_AllAreCommittedWhenTheirCallsReturn()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 300).Select(i => _acceptor.AcceptAsync(Event($"r{i}", 1000), CancellationToken.None)));

        Assert.All(results, r => Assert.Equal(AcceptResult.Accepted, r));
        await _fixture.ReopenAsync();
        Assert.Equal(300, await _fixture.Queue.DepthAsync("f", CancellationToken.None));
    }

    [Fact]
    public async Task Accept_BeyondTheBound_AnswersQueueFullForExactlyTheExcess()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 30).Select(i => _acceptor.AcceptAsync(Event($"r{i}", 20), CancellationToken.None)));

        Assert.Equal(20, results.Count(r => r == AcceptResult.Accepted));
        Assert.Equal(10, results.Count(r => r == AcceptResult.QueueFull));
    }

    [Fact]
    public async Task Accept_AfterStop_IsRefusedAndNothingIsWritten()
    {
        await _acceptor.StopAsync(CancellationToken.None);

        Assert.Equal(AcceptResult.NotAccepting, await _acceptor.AcceptAsync(Event("late", 10), CancellationToken.None));
        Assert.Equal(0, await _fixture.Queue.DepthAsync("f", CancellationToken.None));
    }

    private static NewAsyncEvent Event(string requestId, int depth) => new("f", null, "{}"u8.ToArray(), requestId, null, depth);
}
