using Nimbus.Core.Invocations;
using Nimbus.Core.Logs;
using Nimbus.Server.Telemetry;

namespace Nimbus.Server.Tests.Telemetry;

public sealed class TelemetrySinkTests
{
    private const long MiB = 1024 * 1024;

    [Fact]
    public void Logs_FloodedWithLargeRecordsWhileTheWriterLags_StayWithinTheByteBudgetAndCountTheDropped()
    {
        var sink = new TelemetrySink(TimeProvider.System);
        var before = GC.GetTotalMemory(forceFullCollection: true);

        // 200 MB of output as the pump hands it over: records of 256 KB of text each, far fewer than the count bound.
        for (var i = 0; i < 800; i++)
        {
            sink.Logs.Writer.TryWrite(Record(new string((char)('a' + (i % 26)), 256 * 1024)));
        }

        var growth = GC.GetTotalMemory(forceFullCollection: true) - before;
        Assert.True(growth < TelemetrySink.LogByteBudget + (16 * MiB), $"unwritten records hold {growth / MiB} MB, over the {TelemetrySink.LogByteBudget / MiB} MB budget");
        Assert.True(sink.DroppedLogs > 600, $"only {sink.DroppedLogs} of 800 records were dropped");
        Assert.Equal(800 - sink.DroppedLogs, sink.Logs.Reader.Count);
        GC.KeepAlive(sink);
    }

    [Fact]
    public void EstimatedBytes_CountsTheTextAsUtf16PlusAFixedShare()
    {
        var small = TelemetrySink.EstimatedBytes(Record("hi"));
        var large = TelemetrySink.EstimatedBytes(Record(new string('x', 1000)) with { FieldsJson = new string('y', 500) });

        Assert.Equal(2 * (1000 + 500 - 2), large - small);
    }

    [Fact]
    public void Publish_WithRecordingOff_StoresNoInvocationRecord_AndWithItOnDoes()
    {
        var record = new InvocationRecord("req", "f", "$LATEST", null, DateTimeOffset.UnixEpoch, 1, null, false,
            InvocationOutcome.Success, null, 10, null);
        var off = new TelemetrySink(TimeProvider.System, recording: false);
        var on = new TelemetrySink(TimeProvider.System);

        off.Publish(record);
        on.Publish(record);

        Assert.False(off.Invocations.Reader.TryRead(out _));
        Assert.True(on.Invocations.Reader.TryRead(out var stored));
        Assert.Same(record, stored);
    }

    private static LogRecord Record(string message) =>
        new(0, DateTimeOffset.UnixEpoch, "flood", "$LATEST", "req", null, "INFO", "stdout", message, null);
}
