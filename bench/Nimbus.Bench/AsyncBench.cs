using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Nimbus.Bench;

/// <summary>
/// Figure 5: async invocations. Acceptance (202 latency and req/s at 1 and 32 connections, beside the baseline's rows of
/// the same run) and events/s from acceptance to ack with the echo function.
/// </summary>
public sealed class AsyncBench(BenchOptions options, NimbusHost nimbus, byte[] payload)
{
    public const string InvocationTypeHeader = "X-Nimbus-Invocation-Type";
    private const int DrainConnections = 32;

    public async Task RunAsync(BenchReport report, FunctionPackage package, CancellationToken cancellationToken)
    {
        var client = nimbus.Client;
        var name = $"async-echo-{package.Runtime}";
        await client.PutFunctionAsync(name, package.Runtime, package.Handler, null, cancellationToken);
        await client.PutCodeAsync(name, package.Zip, cancellationToken);
        try
        {
            var generator = new LoadGenerator(client.InvokeUri(name), payload, "application/json")
            {
                Headers = new Dictionary<string, string> { [InvocationTypeHeader] = "Event" },
                SuccessStatus = HttpStatusCode.Accepted,
            };
            foreach (var connections in new[] { 1, 32 })
            {
                Console.Write($"  async accept {package.Runtime,-8} {connections,3} connection(s): warm-up {options.WarmUp.TotalSeconds:0.#} s, measure {options.Duration.TotalSeconds:0.#} s … ");
                var result = await generator.RunAsync(connections, options.WarmUp, options.Duration, long.MaxValue, null, cancellationToken);
                var point = WarmPoint.From($"nimbus async accept {package.Runtime}", result, null);
                report.Warm.Add(point);
                Console.WriteLine($"{point.RequestsPerSecond:0} req/s, p50 {point.LatencyMs.P50:0.000} ms, p99 {point.LatencyMs.P99:0.000} ms" +
                    (point.Failed > 0 ? $", {point.Failed} failed ({point.FirstFailure})" : ""));
            }
        }
        finally
        {
            // The acceptance runs leave a backlog; deleting the function makes its events fail fast instead of competing below.
            await client.DeleteFunctionAsync(name, cancellationToken);
        }

        report.AsyncDrain.Add(await DrainAsync(package, cancellationToken));
    }

    /// <summary>Sends the events as fast as 32 connections allow, then waits until the invocation records count all of them.</summary>
    private async Task<AsyncDrainResult> DrainAsync(FunctionPackage package, CancellationToken cancellationToken)
    {
        var client = nimbus.Client;
        var name = $"async-drain-{package.Runtime}";
        await client.PutFunctionAsync(name, package.Runtime, package.Handler, null, cancellationToken);
        await client.PutCodeAsync(name, package.Zip, cancellationToken);
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false, MaxConnectionsPerServer = DrainConnections }) { BaseAddress = client.BaseAddress };
        BenchAuth.Apply(http);
        try
        {
            Console.Write($"  async drain  {package.Runtime,-8}: {options.AsyncEvents} events … ");
            var started = Stopwatch.GetTimestamp();
            var next = -1;
            await Task.WhenAll(Enumerable.Range(0, DrainConnections).Select(async _ =>
            {
                while (Interlocked.Increment(ref next) < options.AsyncEvents)
                {
                    using var content = new ByteArrayContent(payload);
                    content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                    using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/functions/{name}/invoke") { Content = content };
                    request.Headers.Add(InvocationTypeHeader, "Event");
                    using var response = await http.SendAsync(request, cancellationToken);
                    if (response.StatusCode != HttpStatusCode.Accepted)
                    {
                        throw new BenchFailure($"event to {name} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
                    }
                }
            }));
            var accepted = Stopwatch.GetElapsedTime(started).TotalSeconds;

            var deadline = Stopwatch.GetTimestamp() + (long)(TimeSpan.FromMinutes(10).TotalSeconds * Stopwatch.Frequency);
            while (await InvocationCountAsync(http, name, cancellationToken) < options.AsyncEvents)
            {
                if (Stopwatch.GetTimestamp() > deadline)
                {
                    throw new BenchFailure($"{name}: not every one of {options.AsyncEvents} events had run after 10 minutes");
                }

                await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken);
            }

            var result = new AsyncDrainResult(package.Runtime, options.AsyncEvents, accepted, Stopwatch.GetElapsedTime(started).TotalSeconds);
            Console.WriteLine($"accepted in {result.AcceptSeconds:0.00} s, all run after {result.TotalSeconds:0.00} s: {result.EventsPerSecond:0} events/s");
            return result;
        }
        finally
        {
            await client.DeleteFunctionAsync(name, cancellationToken);
        }
    }

    // Invocation records are flushed every 100 ms, so the figure includes up to that much of telemetry delay.
    private static async Task<long> InvocationCountAsync(HttpClient http, string name, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync($"/api/v1/functions/{name}/metrics/summary?since=1h", cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new BenchFailure($"GET metrics summary of {name} answered {(int)response.StatusCode}");
        }

        using var doc = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(cancellationToken));
        return doc.RootElement.GetProperty("total").GetProperty("invocations").GetInt64();
    }
}
