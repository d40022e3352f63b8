using System.Diagnostics.Metrics;
using Nimbus.Core.Invocations;
using Nimbus.Server.Telemetry.Metrics;

namespace Nimbus.Server.Tests.Telemetry.Metrics;

public sealed class InvocationMeterTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Record_PublishesCountersAndHistogramsWithTheirTags()
    {
        using var meter = new InvocationMeter(() => [new ConcurrencySample("fn", "1", 4)]);
        var measurements = new List<(string Name, double Value, Dictionary<string, object?> Tags)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter, meter.Meter))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags) =>
            measurements.Add((instrument.Name, value, tags.ToArray().ToDictionary(t => t.Key, t => t.Value)));
        listener.SetMeasurementEventCallback<long>((i, v, t, _) => Add(i, v, t));
        listener.SetMeasurementEventCallback<double>((i, v, t, _) => Add(i, v, t));
        listener.SetMeasurementEventCallback<int>((i, v, t, _) => Add(i, v, t));
        listener.Start();

        meter.Record(new InvocationRecord("a", "fn", "1", "live", T0, 12.5, 200, true, InvocationOutcome.Success, null, 64, null, 1024));
        meter.Record(new InvocationRecord("b", "fn", "1", "live", T0, 3, null, false, InvocationOutcome.Timeout, ErrorTypes.Timeout, 64, null, 1024));
        meter.Record(new InvocationRecord("c", "fn", "1", null, T0, 0, null, false, InvocationOutcome.Throttled, "Reserved", 0, null, 1024));
        listener.RecordObservableInstruments();

        Assert.Equal(2, measurements.Where(m => m.Name == "nimbus.invocations").Sum(m => m.Value));
        var error = Assert.Single(measurements, m => m.Name == "nimbus.invocation.errors");
        Assert.Equal(ErrorTypes.Timeout, error.Tags[InvocationMeter.ErrorTypeTag]);
        Assert.Single(measurements, m => m.Name == "nimbus.invocation.throttles");
        Assert.Single(measurements, m => m.Name == "nimbus.invocation.cold_starts");
        Assert.Equal(200, Assert.Single(measurements, m => m.Name == "nimbus.invocation.init_duration").Value);
        Assert.Equal([12.5, 3], measurements.Where(m => m.Name == "nimbus.invocation.duration").Select(m => m.Value));
        Assert.Equal([13.0, 3], measurements.Where(m => m.Name == "nimbus.invocation.billed_duration").Select(m => m.Value));
        Assert.Equal(0.016, measurements.Where(m => m.Name == "nimbus.invocation.gb_seconds").Sum(m => m.Value), 12);
        var success = measurements.First(m => m.Name == "nimbus.invocations");
        Assert.Equal("fn", success.Tags[InvocationMeter.FunctionTag]);
        Assert.Equal("live", success.Tags[InvocationMeter.AliasTag]);
        Assert.Equal("Success", success.Tags[InvocationMeter.OutcomeTag]);
        Assert.Equal(4, Assert.Single(measurements, m => m.Name == "nimbus.concurrent_executions").Value);
    }
}
