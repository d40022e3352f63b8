using System.Globalization;

namespace Nimbus.Bench;

/// <summary>The human-readable tables. Everything printed here is also in the JSON.</summary>
public static class ReportPrinter
{
    public static void PrintHeader(BenchReport r)
    {
        var m = r.Machine;
        Console.WriteLine("Nimbus invoke-path benchmark");
        Console.WriteLine($"  machine : {m.CpuModel}, {m.LogicalCores} logical cores, {m.MemoryMb} MB RAM, {m.Os} (kernel {m.Kernel}), load average {F(m.LoadAverage1m, 2)} at start");
        Console.WriteLine($"  .NET    : {m.DotnetRuntime}, SDK {m.DotnetSdk}");
        Console.WriteLine($"  cores   : {r.CpuPlan}");
        Console.WriteLine($"  settings: {r.Settings.DurationSeconds:0.#} s per point after {r.Settings.WarmUpSeconds:0.#} s warm-up" +
            (r.Settings.Requests > 0 ? $" (1-connection run capped at {r.Settings.Requests} requests)" : "") +
            $", {r.Settings.ColdSamples} cold samples ({r.Settings.ColdMethod}), {r.Settings.MemoryInstances} memory instances");
        Console.WriteLine($"  payload : {r.Payload}");
        Console.WriteLine($"  rerun   : {r.RerunCommand}");
        Console.WriteLine();
    }

    public static void PrintResults(BenchReport r)
    {
        Console.WriteLine();
        Console.WriteLine("=== Results ===");
        if (r.BaselineCommand is not null)
        {
            Console.WriteLine($"baseline: {r.BaselineCommand}");
        }
        if (r.NimbusCommand is not null)
        {
            Console.WriteLine($"nimbus  : {r.NimbusCommand}");
        }
        foreach (var (runtime, worker) in r.Workers)
        {
            Console.WriteLine($"worker {runtime,-8}: {worker}");
        }
        Console.WriteLine($"cores   : {r.CpuPlan}");
        Console.WriteLine($"load    : 1-minute load average {F(r.Machine.LoadAverage1m, 2)} at start, {F(r.LoadAverageAtEnd, 2)} at end ({r.Machine.LogicalCores} cores; counts the benchmark's own processes)");
        Console.WriteLine($"others  : processes outside the benchmark used {F(r.ForeignCpuCores ?? double.NaN, 2)} cores of the benchmark's on average");

        if (r.Warm.Count > 0)
        {
            Console.WriteLine();
            Console.WriteLine("1+2. Warm sync invoke (closed loop; latency in ms at the client, req/s = successful responses / measured time)");
            Table(
                ["target", "conns", "req/s", "p50", "p90", "p99", "p99.9", "max", "requests", "failed", "instances"],
                r.Warm.Select(p => new[]
                {
                    p.Target, I(p.Connections), F(p.RequestsPerSecond, 0), F(p.LatencyMs.P50, 3), F(p.LatencyMs.P90, 3),
                    F(p.LatencyMs.P99, 3), F(p.LatencyMs.P999, 3), F(p.LatencyMs.Max, 3), I(p.Succeeded), I(p.Failed),
                    p.Instances is { } n ? I(n) : "-",
                }));
            foreach (var p in r.Warm.Where(p => p.FirstFailure is not null))
            {
                Console.WriteLine($"  first failure of {p.Target} @{p.Connections}: {p.FirstFailure}");
            }
        }
        if (r.Ratios.Count > 0)
        {
            Console.WriteLine();
            Console.WriteLine("2. Nimbus / raw Kestrel baseline (latency: how many times slower; req/s: fraction of baseline throughput)");
            Table(["target", "figure", "nimbus", "baseline", "ratio"],
                r.Ratios.Select(x => new[] { x.Target, x.Figure, F(x.Nimbus, 3), F(x.Baseline, 3), F(x.Ratio, 2) }));
        }
        if (r.AsyncDrain.Count > 0)
        {
            Console.WriteLine();
            Console.WriteLine("5. Async: accept to ack (events sent on 32 connections, then until every one has run; 202 figures are the 'async accept' rows above)");
            Table(["runtime", "events", "accept s", "accept→ack s", "events/s"],
                r.AsyncDrain.Select(d => new[] { d.Runtime, I(d.Events), F(d.AcceptSeconds, 2), F(d.TotalSeconds, 2), F(d.EventsPerSecond, 0) }));
        }
        if (r.Wrk.Count > 0)
        {
            PrintWrk(r.Wrk);
        }
        if (r.Cpi.Count > 0)
        {
            Console.WriteLine();
            Console.WriteLine($"C. Several invocations per instance ({CpiSection.Connections} connections, one server; processes = instances after the run)");
            Table(["function", "per instance", "req/s", "p50 ms", "p99 ms", "processes", "server µs/inv", "workers µs/inv", "warm-up s", "failed", "driven by"],
                r.Cpi.Select(c => new[]
                {
                    c.System, I(c.ConcurrencyPerInstance), F(c.RequestsPerSecond, 0), F(c.Latency.P50, 3), F(c.Latency.P99, 3), I(c.Processes),
                    c.ServerCpuUsPerInvoke is { } server ? F(server, 0) : "-", c.WorkerCpuUsPerInvoke is { } workers ? F(workers, 0) : "-",
                    F(c.WarmUpSeconds, 0), I(c.Failed), c.Generator,
                }));
            if (CpiGoal.Line(r.Cpi) is { } cpiGoal)
            {
                Console.WriteLine(cpiGoal);
            }
        }
        if (r.ColdStarts.Count > 0)
        {
            Console.WriteLine();
            Console.WriteLine("3. Cold start, ms (median / p90). client = invoke to full response at the client; init = Nimbus's X-Nimbus-Init-Duration-Ms;");
            Console.WriteLine("   bare = the same worker started by the harness against its own stub runtime API (to first next / to first response);");
            Console.WriteLine("   added = client cold invoke − bare start to first response, i.e. what the platform adds");
            Table(["runtime", "method", "n", "cold?", "client", "init", "bare→next", "bare→resp", "added"],
                r.ColdStarts.Select(c => new[]
                {
                    c.Runtime, c.Method, I(c.Samples), $"{c.ConfirmedCold}/{c.Samples}",
                    Pair(c.ClientColdInvoke), Pair(c.PlatformInitDuration), Pair(c.BareStartToFirstNext), Pair(c.BareStartToResponse),
                    $"{F(c.AddedCostP50, 1)} / {F(c.AddedCostP90, 1)}",
                }));
            if (ColdStartGoal.Line(r.ColdStarts) is { } goal)
            {
                Console.WriteLine(goal);
            }
            foreach (var c in r.ColdStarts)
            {
                Console.WriteLine($"  {c.Runtime} bare launch: {c.BareLaunch}  [{c.BareLaunchSource}]");
                if (c.BareError is not null)
                {
                    Console.WriteLine($"  {c.Runtime} bare start failed: {c.BareError}");
                }
                if (c.ConfirmedCold < c.Samples)
                {
                    Console.WriteLine($"  {c.Runtime}: {c.Samples - c.ConfirmedCold} sample(s) lacked X-Nimbus-Cold-Start: true");
                }
            }
        }
        if (r.Memory.Count > 0)
        {
            Console.WriteLine();
            Console.WriteLine("4. Memory of idle instances, MB (worker = VmRSS of the instance's process tree; server = nimbus VmRSS growth / added instances)");
            Table(["runtime", "instances (added)", "worker median", "worker max", "server before", "server after", "server per instance"],
                r.Memory.Select(m => new[]
                {
                    m.Runtime, $"{m.IdleInstances} ({m.AddedInstances})", F(m.WorkerRssMedianMb, 1), F(m.WorkerRssMaxMb, 1),
                    F(m.ServerRssBeforeMb, 1), F(m.ServerRssAfterMb, 1), F(m.ServerRssPerInstanceMb, 2),
                }));
        }
        foreach (var note in r.Notes)
        {
            Console.WriteLine($"note: {note}");
        }
        foreach (var error in r.Errors)
        {
            Console.WriteLine($"ERROR: {error}");
        }
        Console.WriteLine($"rerun: {r.RerunCommand}");
    }

    private static string Pair(LatencyStats s) => s.Count == 0 ? "-" : $"{F(s.P50, 1)} / {F(s.P90, 1)}";

    private static string F(double value, int decimals) =>
        double.IsNaN(value) ? "-" : value.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    private static string I(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static void PrintWrk(List<WrkRow> rows)
    {
        Console.WriteLine();
        Console.WriteLine("W. Warm path with wrk (wrk on the harness's core; latency in ms at 1 connection; syscalls = strace -c -f of the server");
        Console.WriteLine("   and its workers per invoke over a fixed number of sequential invokes; CPU = utime+stime in µs per invoke at 1 connection)");
        Table(
            ["system", "p50", "p90", "p99", "p99.9", "req/s@1", "@8", "@32", "@64", "syscalls", "server µs", "worker µs"],
            rows.Select(w => new[]
            {
                w.System, F(w.LatencyMs?.P50 ?? double.NaN, 3), F(w.LatencyMs?.P90 ?? double.NaN, 3), F(w.LatencyMs?.P99 ?? double.NaN, 3),
                F(w.LatencyMs?.P999 ?? double.NaN, 3), Rps(w, 1), Rps(w, 8), Rps(w, 32), Rps(w, 64),
                F(w.SyscallsPerInvoke ?? double.NaN, 1), F(w.ServerCpuUsPerInvoke ?? double.NaN, 0), F(w.WorkerCpuUsPerInvoke ?? double.NaN, 0),
            }));
        if (TelemetryCost.From(rows) is { } cost)
        {
            var throughput = string.Join(" / ", cost.ThroughputPercent.OrderBy(kv => kv.Key).Select(kv => $"{F(kv.Value, 0)} % @{kv.Key}"));
            Console.WriteLine($"  telemetry (operations on against --no-telemetry): throughput {throughput}; p50 {F(cost.P50Percent ?? double.NaN, 0)} % (goal: ≤ 5 %)");
        }

        foreach (var w in rows)
        {
            if (w.TopSyscallsPerInvoke.Count > 0)
            {
                Console.WriteLine($"  {w.System}: " + string.Join(", ", w.TopSyscallsPerInvoke.Select(kv => $"{kv.Key} {F(kv.Value, 2)}")) +
                    $" (per invoke net of an idle window as long; gross {F(w.GrossSyscallsPerInvoke ?? double.NaN, 1)}; {w.SyscallInvokes} invokes in {F(w.SyscallWindowSeconds, 1)} s)");
            }
            if (w.Note is not null)
            {
                Console.WriteLine($"  {w.System}: {w.Note}");
            }
            if (w.Errors.Values.Sum() > 0)
            {
                Console.WriteLine($"  {w.System}: errors " + string.Join(", ", w.Errors.Select(kv => $"@{kv.Key} {kv.Value}")));
            }
        }
    }

    private static string Rps(WrkRow row, int connections) =>
        row.RequestsPerSecond.TryGetValue(connections, out var v) ? F(v, 0) : "-";

    private static void Table(string[] header, IEnumerable<string[]> rows)
    {
        var all = new List<string[]> { header };
        all.AddRange(rows);
        var widths = header.Select((_, i) => all.Max(r => r[i].Length)).ToArray();
        for (var row = 0; row < all.Count; row++)
        {
            var cells = all[row].Select((c, i) => i == 0 ? c.PadRight(widths[i]) : c.PadLeft(widths[i]));
            Console.WriteLine("  " + string.Join("  ", cells));
            if (row == 0)
            {
                Console.WriteLine("  " + string.Join("  ", widths.Select(w => new string('-', w))));
            }
        }
    }
}
