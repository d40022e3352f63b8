using System.Text.Json;

namespace Nimbus.Functions.Tests.Runtime;

/// <summary>With <c>AWS_LAMBDA_MAX_CONCURRENCY</c> N the SDK serves N invocations at once, each with its own payload and logs.</summary>
public sealed class ConcurrentLoopTests
{
    public sealed record Echo(string Text);

    [Fact]
    public async Task FourLoops_HoldFourInvocationsAtOnce_EachAnsweringItsOwnPayload_AndLoggingItsOwnRequestId()
    {
        var inside = 0;
        var allInside = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var loop = await LoopHarness.StartAsync<Echo, Echo>(async (echo, context) =>
        {
            context.Logger.Info($"handling {echo.Text}");
            if (Interlocked.Increment(ref inside) == 4)
            {
                allInside.TrySetResult();
            }

            // None answers before all four are in the handler: only four loops at once can get past this.
            await allInside.Task.WaitAsync(TimeSpan.FromSeconds(30));
            return new Echo(echo.Text + "!");
        }, maxConcurrency: 4);

        var ids = Enumerable.Range(0, 4).Select(i => loop.Stub.Enqueue($$"""{"text":"event-{{i}}-{{new string('x', 20_000 * i)}}"}""", TimeSpan.FromSeconds(30))).ToArray();
        var posted = await Task.WhenAll(ids.Select(loop.Stub.WaitPostedAsync));

        for (var i = 0; i < 4; i++)
        {
            Assert.True(posted[i].Kind == "response", $"invocation {i} posted {posted[i].Kind}: {posted[i].Json}");
            Assert.Equal($"event-{i}-{new string('x', 20_000 * i)}!", posted[i].Json.GetProperty("text").GetString());
            var line = Assert.Single(loop.LogLines, l => l.Contains($"handling event-{i}-", StringComparison.Ordinal));
            Assert.Equal(ids[i], JsonDocument.Parse(line).RootElement.GetProperty("requestId").GetString());
        }
    }

    [Fact]
    public async Task AHandlerThatBlocksItsThread_HoldsOnlyItsOwnLoop_NeverAPoolThread()
    {
        using var release = new ManualResetEventSlim();
        var blockedOnPoolThread = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var loop = await LoopHarness.StartAsync<Echo, Echo>((echo, _) =>
        {
            if (echo.Text == "block")
            {
                blockedOnPoolThread.TrySetResult(Thread.CurrentThread.IsThreadPoolThread);
                release.Wait(TimeSpan.FromSeconds(30)); // synchronous, as a handler calling a blocking client would
            }

            return ValueTask.FromResult(new Echo(echo.Text + "!"));
        }, maxConcurrency: 2);

        var blocked = loop.Stub.Enqueue("""{"text":"block"}""", TimeSpan.FromSeconds(60));
        var others = Enumerable.Range(0, 3).Select(i => loop.Stub.Enqueue($$"""{"text":"free-{{i}}"}""", TimeSpan.FromSeconds(60))).ToArray();
        Assert.False(await blockedOnPoolThread.Task.WaitAsync(TimeSpan.FromSeconds(30)));
        var answered = await Task.WhenAll(others.Select(loop.Stub.WaitPostedAsync));

        Assert.All(answered, posted => Assert.Equal("response", posted.Kind));
        Assert.False(loop.Stub.WaitPostedAsync(blocked).IsCompleted);
        release.Set();
        Assert.Equal("block!", (await loop.Stub.WaitPostedAsync(blocked)).Json.GetProperty("text").GetString());
    }
}
