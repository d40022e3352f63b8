using System.Net.Http.Json;
using Nimbus.Core.Metrics;
using Nimbus.Functional.Tests.Infrastructure;

namespace Nimbus.Functional.Tests.Conformance;

/// <summary><c>context.Metrics.Add</c> of the .NET SDK in a real .NET function: its EMF lines become the function's custom metric.</summary>
public sealed class DotnetMetricsTests : IClassFixture<SharedServer>
{
    private readonly NimbusTestServer _nimbus;

    public DotnetMetricsTests(SharedServer shared) => _nimbus = shared.Nimbus;

    [Fact]
    public async Task MetricsAdd_WritesEmf_StoredAsNamespaceSlashName_WithItsDimension()
    {
        var put = await _nimbus.Client.PutAsJsonAsync("/api/v1/functions/dn-metrics",
            new Nimbus.Core.Api.FunctionConfigRequest { Runtime = "dotnet", Handler = "BehavioursDotnet", TimeoutSeconds = 30, MemoryMb = 256 }, NimbusTestServer.Json);
        await NimbusTestServer.EnsureSuccessAsync(put, "PUT config of dn-metrics");
        await _nimbus.UploadCodeAsync("dn-metrics", await DotnetConformanceTests.PackageAsync());

        foreach (var value in new[] { 10.0, 32.0 })
        {
            var answer = await _nimbus.InvokeAsync("dn-metrics", new { action = "metric", value });
            Assert.True(answer.FunctionError is null, answer.ToString());
            Assert.Equal("dn-metrics", answer.Json.GetProperty("ns").GetString());
        }

        const string query = "function=dn-metrics&metric=dn-metrics/OrderValue&statistic=Sum,SampleCount,Maximum&period=1h&since=2h";
        MetricsResponse metrics = null!;
        var arrived = await NimbusTestServer.EventuallyAsync(async () =>
        {
            metrics = (await _nimbus.Client.GetFromJsonAsync<MetricsResponse>("/api/v1/metrics?" + query, NimbusTestServer.Json))!;
            return metrics.Series.Where(s => s.Statistic == "SampleCount").SelectMany(s => s.Values).Sum() >= 2;
        }, TimeSpan.FromSeconds(20));

        Assert.True(arrived, "the two values never arrived as dn-metrics/OrderValue");
        Assert.Equal(42, metrics.Series.Single(s => s.Statistic == "Sum").Values.Sum());
        Assert.Equal(32, metrics.Series.Single(s => s.Statistic == "Maximum").Values.Max());
        var byService = (await _nimbus.Client.GetFromJsonAsync<MetricsResponse>("/api/v1/metrics?" + query + "&dimension=service=checkout", NimbusTestServer.Json))!;
        Assert.Equal(42, byService.Series.Single(s => s.Statistic == "Sum").Values.Sum());
    }
}
