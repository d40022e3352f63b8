using Nimbus.Core.Invocations;
using Nimbus.Server.Telemetry.Metrics;

namespace Nimbus.Server.Tests.Telemetry.Metrics;

public sealed class PrometheusRegistryTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    private static InvocationRecord Record(InvocationOutcome outcome, double durationMs, bool cold = false, double? initMs = null, string? alias = "live") =>
        new("r", "orders", "3", alias, T0, durationMs, initMs, cold, outcome, outcome == InvocationOutcome.Success ? null : "Error", 40, null, 512);

    private static string Scrape(PrometheusRegistry registry)
    {
        var text = new StringWriter();
        registry.WriteTo(text, new PlatformGauges([new ConcurrencySample("orders", "3", 2)], new Dictionary<string, int> { ["Idle"] = 1, ["Busy"] = 2 }, 29, 32, 7));
        return text.ToString();
    }

    [Fact]
    public void WriteTo_AfterAKnownMix_HasExactCountersAndHistogramBuckets()
    {
        var registry = new PrometheusRegistry();
        registry.Observe([
            Record(InvocationOutcome.Success, 4, cold: true, initMs: 300),
            Record(InvocationOutcome.Success, 40),
            Record(InvocationOutcome.FunctionError, 400),
            Record(InvocationOutcome.Throttled, 0),
        ]);

        var lines = Scrape(registry).Split('\n');

        Assert.Contains("nimbus_invocations_total{function=\"orders\",version=\"3\",alias=\"live\",outcome=\"Success\"} 2", lines);
        Assert.Contains("nimbus_invocations_total{function=\"orders\",version=\"3\",alias=\"live\",outcome=\"FunctionError\"} 1", lines);
        Assert.Contains("nimbus_errors_total{function=\"orders\",version=\"3\",alias=\"live\",error_type=\"Error\"} 1", lines);
        Assert.Contains("nimbus_throttles_total{function=\"orders\",version=\"3\",alias=\"live\"} 1", lines);
        Assert.Contains("nimbus_cold_starts_total{function=\"orders\",version=\"3\",alias=\"live\"} 1", lines);
        Assert.Contains("nimbus_invocation_duration_seconds_bucket{function=\"orders\",version=\"3\",alias=\"live\",le=\"0.005\"} 1", lines);
        Assert.Contains("nimbus_invocation_duration_seconds_bucket{function=\"orders\",version=\"3\",alias=\"live\",le=\"0.05\"} 2", lines);
        Assert.Contains("nimbus_invocation_duration_seconds_bucket{function=\"orders\",version=\"3\",alias=\"live\",le=\"0.5\"} 3", lines);
        Assert.Contains("nimbus_invocation_duration_seconds_bucket{function=\"orders\",version=\"3\",alias=\"live\",le=\"+Inf\"} 3", lines);
        Assert.Contains("nimbus_invocation_duration_seconds_count{function=\"orders\",version=\"3\",alias=\"live\"} 3", lines);
        Assert.Contains("nimbus_invocation_duration_seconds_sum{function=\"orders\",version=\"3\",alias=\"live\"} 0.444", lines);
        Assert.Contains("nimbus_init_duration_seconds_count{function=\"orders\",version=\"3\"} 1", lines);
        Assert.Contains("nimbus_concurrent_executions{function=\"orders\",version=\"3\"} 2", lines);
        Assert.Contains("nimbus_instances{state=\"Busy\"} 2", lines);
        Assert.Contains("nimbus_runtime_ports_free 29", lines);
        Assert.Contains("nimbus_telemetry_logs_dropped_total 7", lines);
        Assert.Contains("# TYPE nimbus_invocation_duration_seconds histogram", lines);
    }

    [Fact]
    public void Observe_RecordsOfFunctionsVersionsAliasesAndOutcomesInTurn_EachCountInTheirOwnSeries()
    {
        var registry = new PrometheusRegistry();
        // Equal names in distinct string objects, and each label changing on its own between neighbours.
        registry.Observe([
            Record(InvocationOutcome.Success, 1),
            Record(InvocationOutcome.Success, 1) with { FunctionName = new string("billing".AsSpan()) },
            Record(InvocationOutcome.Success, 1) with { FunctionName = new string("orders".AsSpan()) },
            Record(InvocationOutcome.Timeout, 1),
            Record(InvocationOutcome.Success, 1) with { Version = "4" },
            Record(InvocationOutcome.Success, 1, alias: null),
            Record(InvocationOutcome.Success, 1, alias: "canary"),
            Record(InvocationOutcome.Success, 1),
        ]);

        var lines = Scrape(registry).Split('\n');

        Assert.Contains("nimbus_invocations_total{function=\"orders\",version=\"3\",alias=\"live\",outcome=\"Success\"} 3", lines);
        Assert.Contains("nimbus_invocations_total{function=\"orders\",version=\"3\",alias=\"live\",outcome=\"Timeout\"} 1", lines);
        Assert.Contains("nimbus_invocations_total{function=\"billing\",version=\"3\",alias=\"live\",outcome=\"Success\"} 1", lines);
        Assert.Contains("nimbus_invocations_total{function=\"orders\",version=\"4\",alias=\"live\",outcome=\"Success\"} 1", lines);
        Assert.Contains("nimbus_invocations_total{function=\"orders\",version=\"3\",alias=\"\",outcome=\"Success\"} 1", lines);
        Assert.Contains("nimbus_invocations_total{function=\"orders\",version=\"3\",alias=\"canary\",outcome=\"Success\"} 1", lines);
        Assert.Contains("nimbus_invocation_duration_seconds_count{function=\"orders\",version=\"3\",alias=\"live\"} 4", lines);
        Assert.Contains("nimbus_errors_total{function=\"orders\",version=\"3\",alias=\"live\",error_type=\"Error\"} 1", lines);
    }

    [Fact]
    public void WriteTo_EscapesQuotesAndBackslashesInLabelValues()
    {
        var registry = new PrometheusRegistry();
        registry.Observe([Record(InvocationOutcome.Success, 1, alias: "a\"b\\c")]);

        Assert.Contains("alias=\"a\\\"b\\\\c\"", Scrape(registry), StringComparison.Ordinal);
    }

    [Fact]
    public void WriteTo_EveryLineIsACommentOrAPrefixedSample()
    {
        var registry = new PrometheusRegistry();
        registry.Observe([Record(InvocationOutcome.Success, 1)]);

        Assert.All(Scrape(registry).Split('\n', StringSplitOptions.RemoveEmptyEntries),
            line => Assert.True(line.StartsWith("# ", StringComparison.Ordinal) || line.StartsWith("nimbus_", StringComparison.Ordinal), line));
    }

    [Fact]
    public void WriteTo_HasRecursionDropsPerFunction_AndExportDropsOnlyWhenExporting()
    {
        var text = new StringWriter();
        new PrometheusRegistry().WriteTo(text, new PlatformGauges([], new Dictionary<string, int>(), 1, 1, 0)
        {
            RecursionDrops = new Dictionary<string, long> { ["loop"] = 3, ["a\"b"] = 1 },
        });
        var lines = text.ToString().Split('\n');

        Assert.Contains("# TYPE nimbus_recursive_invocations_dropped_total counter", lines);
        Assert.Contains("nimbus_recursive_invocations_dropped_total{function=\"loop\"} 3", lines);
        Assert.Contains("nimbus_recursive_invocations_dropped_total{function=\"a\\\"b\"} 1", lines);
        Assert.DoesNotContain(lines, l => l.StartsWith("nimbus_telemetry_spans_export_dropped_total", StringComparison.Ordinal));
    }
}
