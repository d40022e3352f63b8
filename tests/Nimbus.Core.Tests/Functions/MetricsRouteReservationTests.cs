using Nimbus.Core.Functions;

namespace Nimbus.Core.Tests.Functions;

public sealed class MetricsRouteReservationTests
{
    private static IReadOnlyList<ValidationError> Validate(string path) =>
        FunctionConfigValidator.Validate(new FunctionConfig { Name = "f", Runtime = RuntimeNames.Provided, Routes = [new HttpRouteConfig("GET", path)] });

    [Fact]
    public void Validate_RouteAtMetrics_IsRejectedBecausePrometheusScrapesIt()
    {
        var error = Assert.Single(Validate("/metrics"));

        Assert.Equal("routes[0].path", error.Field);
        Assert.Contains("Prometheus", error.Message);
    }

    [Fact]
    public void Validate_RouteUnderAnotherMetricsPath_IsAccepted() => Assert.Empty(Validate("/metrics-report"));
}
