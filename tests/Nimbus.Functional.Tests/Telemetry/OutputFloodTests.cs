using Nimbus.Core.Api;
using Nimbus.Functional.Tests.Infrastructure;

namespace Nimbus.Functional.Tests.Telemetry;

/// <summary>A function that floods its output costs the platform bounded memory, and an oversized line says it was cut.</summary>
public sealed class OutputFloodTests
{
    private const long MiB = 1024 * 1024;
    private const int HugeLineBytes = 48 * 1024 * 1024;
    private const int MaxRecordBytes = 256 * 1024;

    [Fact]
    public async Task Invoke_WhenFunctionPrintsFiftyMegabytes_PlatformMemoryStaysBounded_AndTheHugeLineIsOneTruncatedRecord()
    {
        await using var nimbus = await NimbusTestServer.StartAsync();
        await nimbus.DeployAsync("flood", RepoPaths.Fixture("provided-chatty"), new FunctionConfigRequest { Runtime = "provided", TimeoutSeconds = 60 });
        await nimbus.InvokeAsync("flood", new { }); // the cold start's allocations are not the flood's
        var before = GC.GetTotalMemory(forceFullCollection: true);
        using var sampling = new CancellationTokenSource();
        var peak = SamplePeakLiveMemoryAsync(sampling.Token);

        // One 48 MB line without a break, then 20,000 ordinary lines (2 MB).
        var result = await nimbus.InvokeAsync("flood", new { line = HugeLineBytes, lines = 20_000, width = 100 });
        var logs = await nimbus.LogsAsync("flood", $"requestId={result.RequestId}&afterId=0&limit=5", l => l.Any(r => r.Message.Contains("truncated", StringComparison.Ordinal)), TimeSpan.FromSeconds(30));
        await sampling.CancelAsync();
        var growth = await peak - before;

        Assert.Null(result.FunctionError);
        var huge = Assert.Single(logs, r => r.Message.StartsWith('x'));
        Assert.Equal(new string('x', MaxRecordBytes) + $"… [truncated: {HugeLineBytes - MaxRecordBytes} bytes]", huge.Message);
        // Holding the huge line whole would take 96 MB as a string alone; 20,000 short records take a few MB.
        Assert.True(growth < 64 * MiB, $"the platform's live managed memory grew by {growth / MiB} MB while the function printed 50 MB");
    }

    /// <summary>The largest live (after a full collection) managed heap seen until cancelled: the platform runs in this process.</summary>
    private static async Task<long> SamplePeakLiveMemoryAsync(CancellationToken cancellationToken)
    {
        long peak = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: true));
            try
            {
                await Task.Delay(25, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        return Math.Max(peak, GC.GetTotalMemory(forceFullCollection: true));
    }
}
