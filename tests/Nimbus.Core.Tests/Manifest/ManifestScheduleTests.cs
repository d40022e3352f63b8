using Nimbus.Core.Manifest;
using Nimbus.Core.Schedules;

namespace Nimbus.Core.Tests.Manifest;

public class ManifestScheduleTests
{
    private static readonly string s_base = Path.Combine(Path.GetTempPath(), "project");

    private static ManifestParseResult Parse(string schedules) => ManifestParser.Parse(
        $"""
        functions:
          report:
            runtime: node
            handler: index.handler
            code: ./report
            schedules:
        {schedules}
        """, s_base);

    [Fact]
    public void Parse_StringsAndMappings_ReadEverySetting()
    {
        var result = Parse("""
                  - rate(5 minutes)
                  - {expression: "cron(0 12 * * ? *)", timezone: Europe/Paris, input: {report: daily, top: 10}, missed: skip, enabled: false}
            """);

        Assert.Empty(result.Errors);
        var schedules = result.Manifest!.Functions[0].Config.Schedules!;
        Assert.Equal(new ScheduleConfig { Expression = "rate(5 minutes)" }, schedules[0]);
        Assert.Equal(
            new ScheduleConfig { Expression = "cron(0 12 * * ? *)", Timezone = "Europe/Paris", Input = """{"report":"daily","top":10}""", Missed = "skip", Enabled = false },
            schedules[1]);
    }

    [Fact]
    public void Parse_InvalidExpression_ReportsItsLineAndWhy()
    {
        var result = Parse("""
                  - rate(5 minutes)
                  - cron(0 25 * * ? *)
            """);

        var error = Assert.Single(result.Errors);
        Assert.Equal(new ManifestError("functions.report.schedules[1].expression", "cron(0 25 * * ? *): hours must be 0-23, got 25", 8), error);
    }

    [Fact]
    public void Parse_BadSettingsInAMapping_ReportEachOnItsLine()
    {
        var result = Parse("""
                  - expression: rate(1 hour)
                    timezone: Mars/Olympus
                    missed: burst
                    enable: true
            """);

        Assert.Equal(
            [
                new ManifestError("functions.report.schedules[0].timezone", "'Mars/Olympus' is not a known IANA time zone (as in Europe/Paris or America/New_York)", 8),
                new ManifestError("functions.report.schedules[0].missed", "must be 'once' or 'skip', was 'burst'", 9),
                new ManifestError("functions.report.schedules[0].enable", "unknown key 'enable'; did you mean 'enabled'?", 10),
            ],
            result.Errors);
    }

    [Fact]
    public void Parse_MappingWithoutExpression_SaysItIsRequired()
    {
        var error = Assert.Single(Parse("      - {timezone: UTC}").Errors);

        Assert.Equal("functions.report.schedules[0].expression", error.Field);
        Assert.Equal(7, error.Line);
    }
}
