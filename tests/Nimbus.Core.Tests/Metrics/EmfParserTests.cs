using Nimbus.Core.Metrics;

namespace Nimbus.Core.Tests.Metrics;

public sealed class EmfParserTests
{
    private const string PowertoolsLine =
        """
        {"_aws":{"Timestamp":1764590400000,"CloudWatchMetrics":[{"Namespace":"Orders","Dimensions":[["service"],["service","region"]],
        "Metrics":[{"Name":"OrderValue","Unit":"None"},{"Name":"Latency","Unit":"Milliseconds"}]}]},
        "service":"checkout","region":"eu-west-1","OrderValue":42.5,"Latency":[10,20,30]}
        """;

    [Fact]
    public void Parse_PowertoolsLine_GivesEachMetricWithValuesUnitAndDimensionSets()
    {
        var metrics = EmfParser.Parse(PowertoolsLine);

        Assert.Equal(["Orders/OrderValue", "Orders/Latency"], metrics.Select(m => m.Name));
        Assert.Equal([42.5], metrics[0].Values);
        Assert.Equal([10.0, 20, 30], metrics[1].Values);
        Assert.Equal("Milliseconds", metrics[1].Unit);
        Assert.Equal(["service=checkout", "service=checkout,region=eu-west-1"], metrics[0].DimensionSets);
    }

    [Theory]
    [InlineData("""{"message":"hello"}""")]
    [InlineData("""{"_aws":{"CloudWatchMetrics":[{"Namespace":"N","Metrics":[{"Name":"Missing"}]}]}}""")]
    [InlineData("""{"_aws":"not an object"}""")]
    [InlineData("not json {\"_aws\"")]
    public void Parse_NotEmfOrWithoutValues_GivesNothing(string line) => Assert.Empty(EmfParser.Parse(line));

    [Fact]
    public void AddCustom_CountsEveryValueInTheFunctionAndVersionSeriesPerDimensionSet()
    {
        var aggregator = new MetricAggregator();
        var at = new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

        aggregator.AddCustom("fn", "2", EmfParser.Parse(PowertoolsLine), at);

        var buckets = aggregator.Drain().Where(b => b.PeriodSeconds == 10).ToDictionary(b => b.Key, b => b.Statistics);
        var latency = buckets[new MetricSeriesKey("fn", "*", "*", "Orders/Latency", "")];
        Assert.Equal(3, latency.SampleCount);
        Assert.Equal(60, latency.Sum);
        Assert.Equal(3, latency.Histogram!.TotalCount);
        Assert.Equal(42.5, buckets[new MetricSeriesKey("fn", "2", "*", "Orders/OrderValue", "service=checkout,region=eu-west-1")].Sum);
    }

    [Theory]
    [InlineData("Orders/Latency", true)]
    [InlineData("duration", false)]
    [InlineData("/Latency", false)]
    [InlineData("Orders/", false)]
    public void IsCustom_RequiresNamespaceSlashName(string name, bool custom) => Assert.Equal(custom, MetricNames.IsCustom(name));
}
