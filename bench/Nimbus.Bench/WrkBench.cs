using System.Diagnostics;
using System.Globalization;

namespace Nimbus.Bench;

/// <summary>
/// The warm path driven by wrk (issue 13, "Measure it honestly"): wrk runs on the harness's core (it inherits the
/// harness's taskset), the server and its workers on the other. Per system: p50/p90/p99/p99.9 at 1 connection and
/// req/s at each connection count from wrk's own <c>done()</c>; CPU per invoke from <c>/proc</c> over the 1-connection
/// run; system calls per invoke from <c>strace -c -f</c> over a fixed number of sequential invokes.
/// </summary>
public sealed class WrkBench(BenchOptions options, byte[] payload, string workDirectory)
{
    public const string WrkPath = "/usr/bin/wrk";
    public const string StracePath = "/usr/bin/strace";
    private const string ResultMarker = "NIMBUS_WRK";
    private static readonly int[] s_connections = [1, 8, 32, 64];
    private static readonly TimeSpan MinWarmUp = TimeSpan.FromSeconds(5);
    private const int MaxWarmUpChunks = 12;

    /// <summary>Sequential invokes under strace; a fixed count, so that each run counts the same work.</summary>
    public int SyscallInvokes => options.Quick ? 500 : 2000;

    public static bool Available => File.Exists(WrkPath);

    /// <param name="system">The row's name.</param>
    /// <param name="uri">The invoke (or echo) address.</param>
    /// <param name="serverPid">The server process: its CPU, and strace attaches to it and to its workers.</param>
    public async Task<WrkRow> RunAsync(string system, Uri uri, int? serverPid, CancellationToken cancellationToken)
    {
        var script = await WriteScriptAsync(cancellationToken);
        var row = new WrkRow { System = system };
        // Until throughput stops rising: on one pinned core the tiered JIT reaches optimised code only after tens of
        // seconds (the runtime's call-counting delay is 10x longer on one CPU, and every new method the background
        // loops call restarts it), and a short warm-up measured quick-JIT code (docs/design/warm-path.md).
        var (rates, chunk) = await WarmUpAsync(script, uri, s_connections[^1], options.WarmUp, cancellationToken);
        row.WarmUpSeconds = rates.Count * chunk.TotalSeconds;
        Console.WriteLine($"  wrk {system}: warm-up {row.WarmUpSeconds:0} s at {s_connections[^1]} connections " +
            $"({string.Join(" → ", rates.Select(r => r.ToString("0", CultureInfo.InvariantCulture)))} req/s), then {chunk.TotalSeconds:0} s at 1");
        await RunWrkAsync(script, uri, 1, chunk, cancellationToken);

        foreach (var connections in s_connections)
        {
            var before = serverPid is { } pid ? ProcessCpu.Take(pid) : null;
            var result = await RunWrkAsync(script, uri, connections, options.Duration, cancellationToken);
            var after = serverPid is { } p ? ProcessCpu.Take(p) : null;
            row.RequestsPerSecond[connections] = result.RequestsPerSecond;
            row.Errors[connections] = result.Errors;
            if (result.Errors > 0)
            {
                row.ErrorKinds[connections] = result.ErrorKinds;
            }

            if (connections == 1)
            {
                row.LatencyMs = result.Latency;
                if (before is not null && after is not null && result.Requests > 0)
                {
                    row.ServerCpuUsPerInvoke = (after.ServerSeconds - before.ServerSeconds) * 1e6 / result.Requests;
                    row.WorkerCpuUsPerInvoke = (after.WorkerSeconds - before.WorkerSeconds) * 1e6 / result.Requests;
                }
            }
            Console.WriteLine($"    {connections,3} connection(s): {result.RequestsPerSecond:0} req/s" +
                (connections == 1 ? $", p50 {result.Latency.P50:0.000} ms, p99 {result.Latency.P99:0.000} ms" : "") +
                (result.Errors > 0 ? $", {result.Errors} errors ({result.ErrorKinds})" : ""));
        }

        if (serverPid is { } server)
        {
            await CountSyscallsAsync(row, uri, server, cancellationToken);
        }
        return row;
    }

    /// <summary>
    /// wrk at <paramref name="connections"/>: chunks of <paramref name="warmUp"/> (at least 5 s) until the rate is steady
    /// (not counted), then for <paramref name="duration"/>: the measured run, with the server's and its workers' CPU
    /// per invoke when <paramref name="serverPid"/> is given. For sections that need one figure at one connection count.
    /// </summary>
    public async Task<WrkLoad> LoadAsync(Uri uri, int connections, TimeSpan warmUp, TimeSpan duration, int? serverPid,
        CancellationToken cancellationToken)
    {
        var script = await WriteScriptAsync(cancellationToken);
        var (rates, chunk) = await WarmUpAsync(script, uri, connections, warmUp, cancellationToken);
        var before = serverPid is { } pid ? ProcessCpu.Take(pid) : null;
        var result = await RunWrkAsync(script, uri, connections, duration, cancellationToken);
        var after = serverPid is { } again ? ProcessCpu.Take(again) : null;
        var load = new WrkLoad(result, rates, rates.Count * chunk.TotalSeconds);
        if (before is null || after is null || result.Requests == 0)
        {
            return load;
        }

        return load with
        {
            ServerCpuUsPerInvoke = (after.ServerSeconds - before.ServerSeconds) * 1e6 / result.Requests,
            WorkerCpuUsPerInvoke = (after.WorkerSeconds - before.WorkerSeconds) * 1e6 / result.Requests,
        };
    }

    /// <summary>
    /// Until throughput stops rising: on one pinned core the tiered JIT reaches optimised code only after tens of
    /// seconds, and a function that scales out starts its instances (and JIT-compiles each one) during the first chunks.
    /// </summary>
    private async Task<(List<double> Rates, TimeSpan Chunk)> WarmUpAsync(string script, Uri uri, int connections, TimeSpan warmUp,
        CancellationToken cancellationToken)
    {
        var chunk = warmUp > MinWarmUp ? warmUp : MinWarmUp;
        var rates = new List<double>();
        do
        {
            rates.Add((await RunWrkAsync(script, uri, connections, chunk, cancellationToken)).RequestsPerSecond);
        }
        while (!WarmUpPlan.IsSteady(rates, MaxWarmUpChunks));
        return (rates, chunk);
    }

    private async Task CountSyscallsAsync(WrkRow row, Uri uri, int serverPid, CancellationToken cancellationToken)
    {
        if (!File.Exists(StracePath))
        {
            row.Note = "strace is not installed: no system-call counts";
            return;
        }
        var generator = new LoadGenerator(uri, payload, "application/json");
        long invokes = 0;
        var (loaded, window) = await StraceAsync(serverPid, async () =>
        {
            var result = await generator.RunAsync(1, TimeSpan.Zero, TimeSpan.FromMinutes(10), SyscallInvokes, null, cancellationToken);
            invokes = result.Succeeded + result.Failed;
        }, cancellationToken);
        // strace slows the server down many times over, so the timers' own calls (instance sampling, the store's
        // loops) would be counted as per-invoke work: an idle window of the same length is measured and subtracted.
        var (idle, _) = await StraceAsync(serverPid, () => Task.Delay(window, cancellationToken), cancellationToken);
        if (invokes == 0 || loaded.Count == 0)
        {
            row.Note = "strace counted nothing";
            return;
        }
        row.SyscallInvokes = (int)invokes;
        row.SyscallWindowSeconds = window.TotalSeconds;
        row.GrossSyscallsPerInvoke = loaded.Values.Sum() / (double)invokes;
        var net = loaded.ToDictionary(c => c.Key, c => Math.Max(0, c.Value - idle.GetValueOrDefault(c.Key)));
        row.SyscallsPerInvoke = net.Values.Sum() / (double)invokes;
        foreach (var (name, calls) in net.Where(c => c.Value > 0).OrderByDescending(c => c.Value).Take(10))
        {
            row.TopSyscallsPerInvoke[name] = Math.Round(calls / (double)invokes, 2);
        }
    }

    /// <summary>Counts the system calls of the server and its workers while <paramref name="during"/> runs.</summary>
    private async Task<(Dictionary<string, long> Calls, TimeSpan Window)> StraceAsync(int serverPid, Func<Task> during, CancellationToken cancellationToken)
    {
        var output = Path.Combine(workDirectory, $"strace-{Guid.NewGuid():N}.txt");
        List<string> args = ["-c", "-f", "-o", output];
        foreach (var pid in ProcessCpu.Tree(serverPid))
        {
            args.Add("-p");
            args.Add(pid.ToString(CultureInfo.InvariantCulture));
        }
        await using var strace = ManagedProcess.Start(StracePath, args, core: null);
        await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken); // attaching to every thread
        var started = Stopwatch.GetTimestamp();
        await during();
        var window = Stopwatch.GetElapsedTime(started);
        await ManagedProcess.RunToEndAsync("kill", ["-INT", strace.Id.ToString(CultureInfo.InvariantCulture)], null, cancellationToken);
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            timeout.CancelAfter(TimeSpan.FromSeconds(30));
            await strace.WaitForExitAsync(timeout.Token);
        }
        return (StraceSummary.Parse(await File.ReadAllTextAsync(output, cancellationToken)), window);
    }

    private async Task<WrkResult> RunWrkAsync(string script, Uri uri, int connections, TimeSpan duration, CancellationToken cancellationToken)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(duration.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        var (exit, output) = await ManagedProcess.RunToEndAsync(
            WrkPath,
            ["-t1", $"-c{connections}", $"-d{seconds}s", "--latency", "-s", script, uri.ToString()],
            null,
            cancellationToken);
        var line = output.Split('\n').FirstOrDefault(l => l.StartsWith(ResultMarker, StringComparison.Ordinal));
        if (exit != 0 || line is null)
        {
            throw new BenchFailure($"wrk failed (exit {exit}) against {uri}: {output}");
        }
        return WrkResult.Parse(line[ResultMarker.Length..]);
    }

    private async Task<string> WriteScriptAsync(CancellationToken cancellationToken)
    {
        var path = Path.Combine(workDirectory, "nimbus-wrk.lua");
        var body = System.Text.Encoding.UTF8.GetString(payload).Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal);
        var authorization = BenchAuth.Token is { } token ? $"wrk.headers[\"Authorization\"] = \"Bearer {token}\"" : "";
        // wrk's latencies are in microseconds; done() prints one line that the harness parses.
        var lua = $$"""
            wrk.method = "POST"
            wrk.body = '{{body}}'
            wrk.headers["Content-Type"] = "application/json"
            {{authorization}}
            done = function(summary, latency, requests)
              local e = summary.errors
              io.write(string.format("{{ResultMarker}} requests=%d duration_us=%d errors=%d connect=%d read=%d write=%d status=%d timeout=%d p50=%d p90=%d p99=%d p999=%d max=%d mean=%.1f\n",
                summary.requests, summary.duration, e.connect + e.read + e.write + e.status + e.timeout, e.connect, e.read, e.write, e.status, e.timeout,
                latency:percentile(50), latency:percentile(90), latency:percentile(99), latency:percentile(99.9),
                latency.max, latency.mean))
            end
            """;
        await File.WriteAllTextAsync(path, lua, cancellationToken);
        return path;
    }
}
