using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Nimbus.Core.Api;
using Nimbus.Core.Tracing;
using Nimbus.Functional.Tests.Infrastructure;

namespace Nimbus.Functional.Tests.Telemetry;

/// <summary>
/// A function instrumented with the real OpenTelemetry SDK for Node (<c>@opentelemetry/sdk-trace-base</c> and
/// <c>@opentelemetry/exporter-trace-otlp-http</c>, installed by <c>npm ci</c> from the fixture's pinned lock file) and
/// no Nimbus code: its span reaches Nimbus's OTLP receiver through the environment the worker gets, and joins the
/// platform's trace as the child of the invocation span.
/// </summary>
public sealed class OpenTelemetryNodeSdkTests : IClassFixture<SharedServer>
{
    private readonly NimbusTestServer _nimbus;

    public OpenTelemetryNodeSdkTests(SharedServer shared) => _nimbus = shared.Nimbus;

    [Fact]
    public async Task NodeSdkSpan_FromFunctionCode_AppearsUnderTheInvocationSpan()
    {
        var code = await InstallFixtureAsync("otel-node");
        try
        {
            await _nimbus.DeployAsync("otel-node-fn", code, new FunctionConfigRequest { Runtime = "node", Handler = "index.handler", TimeoutSeconds = 20 });

            var traceId = TraceContext.NewSpanId() + TraceContext.NewSpanId();
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/functions/otel-node-fn/invoke")
            {
                Content = new StringContent("""{"spanName":"charge-card"}""", Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("traceparent", $"00-{traceId}-{TraceContext.NewSpanId()}-01");
            var response = await _nimbus.Client.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK && !response.Headers.Contains("X-Nimbus-Function-Error"), body);
            using var answer = JsonDocument.Parse(body);
            var sdkSpanId = answer.RootElement.GetProperty("spanId").GetString();
            Assert.Equal(traceId, answer.RootElement.GetProperty("traceId").GetString());

            TraceDetail? trace = null;
            var joined = await NimbusTestServer.EventuallyAsync(async () =>
            {
                // 404 until the writer has stored the trace's first span.
                var got = await _nimbus.Client.GetAsync($"/api/v1/traces/{traceId}");
                if (got.StatusCode == HttpStatusCode.NotFound)
                {
                    return false;
                }

                trace = await got.Content.ReadFromJsonAsync<TraceDetail>(NimbusTestServer.Json);
                return trace!.Spans.Any(s => s.SpanId == sdkSpanId) && trace.Spans.Any(s => s.Kind == "Server");
            }, TimeSpan.FromSeconds(15));
            Assert.True(joined, $"trace {traceId} has no span {sdkSpanId} from the SDK: {string.Join(", ", trace?.Spans.Select(s => s.Name) ?? [])}");

            var invocation = Assert.Single(trace!.Spans, s => s.Kind == "Server");
            Assert.Equal("otel-node-fn", invocation.Name);
            var child = trace.Spans.Single(s => s.SpanId == sdkSpanId);
            Assert.Equal("charge-card", child.Name);
            Assert.Equal(SpanRecord.FunctionOrigin, child.Origin);
            Assert.Equal("otel-node-fn", child.FunctionName);
            Assert.Equal(invocation.SpanId, child.ParentSpanId);
            Assert.Equal("child", child.Attributes["fixture.step"]?.ToString());
            Assert.Equal("otel-node-fn", child.Attributes["service.name"]?.ToString());
        }
        finally
        {
            Directory.Delete(code, recursive: true);
        }
    }

    /// <summary>A copy of the fixture with its dependencies installed exactly as locked (28 MB, too big to commit).</summary>
    private static async Task<string> InstallFixtureAsync(string fixture)
    {
        var directory = Path.Combine(Path.GetTempPath(), $"nimbus-{fixture}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        foreach (var file in Directory.GetFiles(RepoPaths.Fixture(fixture)))
        {
            File.Copy(file, Path.Combine(directory, Path.GetFileName(file)));
        }

        var start = new ProcessStartInfo("npm", ["ci", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error"])
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var npm = Process.Start(start) ?? throw new InvalidOperationException("could not start npm");
        var stdout = npm.StandardOutput.ReadToEndAsync();
        var stderr = npm.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await npm.WaitForExitAsync(timeout.Token);
        Assert.True(npm.ExitCode == 0, $"npm ci in {directory} failed ({npm.ExitCode}): {await stdout} {await stderr}");
        return directory;
    }
}
