using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;

namespace Nimbus.Bench;

/// <summary>
/// Closed-loop load: each connection sends its next request as soon as the previous answer has been read.
/// One HttpClient per connection with MaxConnectionsPerServer = 1, so "connections" means exactly that many
/// TCP connections and that many requests in flight.
/// </summary>
public sealed class LoadGenerator(Uri target, byte[] body, string contentType)
{
    /// <summary>A response counts as a failure when this header is present (a function error answered 200).</summary>
    public string? FailureHeader { get; init; }

    /// <summary>Headers sent with every request (the async section asks for <c>X-Nimbus-Invocation-Type: Event</c>).</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    /// <summary>The status a successful answer has: 200, or 202 for an accepted event.</summary>
    public HttpStatusCode SuccessStatus { get; init; } = HttpStatusCode.OK;

    public const int MaxWarmUpRounds = 12;

    /// <summary>
    /// Warms up, then measures on the same connections. <paramref name="warmUpAgain"/>, asked after each warm-up
    /// round, can ask for another (Nimbus: while the instance count still grows, cold starts would pollute the run).
    /// </summary>
    public async Task<LoadResult> RunAsync(
        int connections,
        TimeSpan warmUp,
        TimeSpan duration,
        long maxRequests,
        Func<CancellationToken, Task<bool>>? warmUpAgain,
        CancellationToken cancellationToken)
    {
        var clients = Enumerable.Range(0, connections).Select(_ => CreateClient()).ToArray();
        try
        {
            if (warmUp > TimeSpan.Zero)
            {
                for (var round = 0; round < MaxWarmUpRounds; round++)
                {
                    await RunPhaseAsync(clients, warmUp, long.MaxValue, cancellationToken);
                    if (warmUpAgain is null || !await warmUpAgain(cancellationToken))
                    {
                        break;
                    }
                }
            }
            return await RunPhaseAsync(clients, duration, maxRequests, cancellationToken);
        }
        finally
        {
            foreach (var client in clients)
            {
                client.Dispose();
            }
        }
    }

    private async Task<LoadResult> RunPhaseAsync(
        HttpClient[] clients, TimeSpan duration, long maxRequests, CancellationToken cancellationToken)
    {
        var workers = new ConnectionWorker[clients.Length];
        var started = Stopwatch.GetTimestamp();
        var deadline = started + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        long remaining = maxRequests;
        var tasks = new Task[clients.Length];
        for (var i = 0; i < clients.Length; i++)
        {
            workers[i] = new ConnectionWorker(clients[i], target, body, contentType, FailureHeader, Headers, SuccessStatus);
            var worker = workers[i];
            tasks[i] = Task.Run(
                () => worker.RunAsync(deadline, () => Interlocked.Decrement(ref remaining) >= 0, cancellationToken),
                cancellationToken);
        }
        await Task.WhenAll(tasks);
        var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;

        var total = workers.Sum(w => w.Samples.Count);
        var all = new long[total];
        var offset = 0;
        foreach (var w in workers)
        {
            w.Samples.CopyTo(all, offset);
            offset += w.Samples.Count;
        }
        return new LoadResult(
            clients.Length,
            elapsed,
            total,
            workers.Sum(w => w.Failed),
            workers.Select(w => w.FirstFailure).FirstOrDefault(f => f is not null),
            LatencyStats.FromTicks(all));
    }

    private static HttpClient CreateClient()
    {
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = 1,
            UseProxy = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            ConnectTimeout = TimeSpan.FromSeconds(10),
        };
        var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(60) };
        BenchAuth.Apply(client);
        return client;
    }

    private sealed class ConnectionWorker(
        HttpClient client, Uri target, byte[] body, string contentType, string? failureHeader,
        IReadOnlyDictionary<string, string> headers, HttpStatusCode successStatus)
    {
        // Pre-sized so that the hot loop does not grow the list while timing.
        public List<long> Samples { get; } = new(1 << 16);
        public long Failed { get; private set; }
        public string? FirstFailure { get; private set; }

        public async Task RunAsync(long deadline, Func<bool> takeRequest, CancellationToken cancellationToken)
        {
            // One content object per connection, reused: ByteArrayContent can be serialized many times, and
            // sharing it between connections would share its (not thread-safe) header collection.
            var content = new ByteArrayContent(body);
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
            var buffer = new byte[64 * 1024];
            while (Stopwatch.GetTimestamp() < deadline && takeRequest())
            {
                cancellationToken.ThrowIfCancellationRequested();
                // Not disposed: disposing a request disposes its content, which the next request reuses.
                var request = new HttpRequestMessage(HttpMethod.Post, target) { Content = content };
                foreach (var (name, value) in headers)
                {
                    request.Headers.TryAddWithoutValidation(name, value);
                }
                var start = Stopwatch.GetTimestamp();
                string? failure = null;
                try
                {
                    using var response = await client.SendAsync(
                        request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
                    await using (var stream = await response.Content.ReadAsStreamAsync(cancellationToken))
                    {
                        while (await stream.ReadAsync(buffer, cancellationToken) > 0)
                        {
                        }
                    }
                    if (response.StatusCode != successStatus)
                    {
                        failure = $"HTTP {(int)response.StatusCode}";
                    }
                    else if (failureHeader is not null && response.Headers.Contains(failureHeader))
                    {
                        failure = $"{failureHeader}: {string.Join(",", response.Headers.GetValues(failureHeader))}";
                    }
                }
                catch (HttpRequestException ex)
                {
                    failure = ex.InnerException is { } inner ? $"{ex.Message} ({inner.Message})" : ex.Message;
                }
                catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
                {
                    failure = "timeout: " + ex.Message;
                }
                var elapsed = Stopwatch.GetTimestamp() - start;
                if (failure is null)
                {
                    Samples.Add(elapsed);
                }
                else
                {
                    Failed++;
                    FirstFailure ??= failure;
                    if (Failed > 1000 && Samples.Count == 0)
                    {
                        // Everything fails: stop hammering and let the report say why.
                        return;
                    }
                }
            }
        }
    }
}
