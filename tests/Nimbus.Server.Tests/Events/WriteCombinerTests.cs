using Nimbus.Server.Events;

namespace Nimbus.Server.Tests.Events;

public sealed class WriteCombinerTests
{
    [Fact]
    public async Task LoneItem_IsWrittenAtOnceOnItsOwn()
    {
        var batches = new List<IReadOnlyList<int>>();
        var combiner = new WriteCombiner<int, string>(batch =>
        {
            batches.Add(batch);
            return Task.FromResult<IReadOnlyList<string>>(batch.Select(i => $"r{i}").ToList());
        });

        Assert.Equal("r1", await combiner.WriteAsync(1));
        Assert.Equal("r2", await combiner.WriteAsync(2));

        Assert.Equal([[1], [2]], batches);
    }

    [Fact]
    public async Task ItemsArrivingWhileABatchIsWritten_ShareTheNextBatch_EachGetsItsOwnResult()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var batches = new List<IReadOnlyList<int>>();
        var combiner = new WriteCombiner<int, string>(async batch =>
        {
            batches.Add(batch);
            if (batches.Count == 1)
            {
                await release.Task;
            }

            return batch.Select(i => $"r{i}").ToList();
        });

        var first = combiner.WriteAsync(1);
        var second = combiner.WriteAsync(2);
        var third = combiner.WriteAsync(3);
        Assert.False(first.IsCompleted);
        release.SetResult();

        Assert.Equal(["r1", "r2", "r3"], await Task.WhenAll(first, second, third));
        Assert.Equal([[1], [2, 3]], batches);
    }

    [Fact]
    public async Task FailedWrite_FailsItsBatchOnly_TheNextItemIsWritten()
    {
        var calls = 0;
        var combiner = new WriteCombiner<int, int>(batch => ++calls == 1
            ? throw new InvalidOperationException("disk full")
            : Task.FromResult<IReadOnlyList<int>>(batch.ToList()));

        await Assert.ThrowsAsync<InvalidOperationException>(() => combiner.WriteAsync(1));
        Assert.Equal(2, await combiner.WriteAsync(2));
    }
}
