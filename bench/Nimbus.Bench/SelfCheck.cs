using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Text;

namespace Nimbus.Bench;

/// <summary>
/// The harness's own tests, run with the <c>selfcheck</c> verb (a benchmark project is kept out of <c>dotnet test</c>):
/// percentile maths, CPU lists, zip modes, the load generator against the baseline server, the stub runtime API with
/// the C echo bootstrap, and a clear failure when Nimbus is unreachable.
/// </summary>
public static class SelfCheck
{
    public static async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var failures = 0;
        async Task Check(string name, Func<Task> body)
        {
            try
            {
                await body();
                Console.WriteLine($"ok    {name}");
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                failures++;
                Console.WriteLine($"FAIL  {name}: {ex.Message}");
            }
        }

        await Check("percentiles of 1..1000 ms, shuffled", () =>
        {
            var ticks = Enumerable.Range(1, 1000).Select(ms => ms * Stopwatch.Frequency / 1000).ToArray();
            Random.Shared.Shuffle(ticks);
            var s = LatencyStats.FromTicks(ticks);
            Expect(s.Count, 1000L, "count");
            Expect(Math.Round(s.P50, 6), 500.0, "p50");
            Expect(Math.Round(s.P90, 6), 900.0, "p90");
            Expect(Math.Round(s.P99, 6), 990.0, "p99");
            Expect(Math.Round(s.P999, 6), 999.0, "p99.9");
            Expect(Math.Round(s.Max, 6), 1000.0, "max");
            Expect(Math.Round(s.Mean, 3), 500.5, "mean");
            return Task.CompletedTask;
        });
        await Check("percentiles of few samples are observed values (nearest rank)", () =>
        {
            var s = LatencyStats.FromMilliseconds([10, 2, 7, 4, 1, 9, 3, 8, 6, 5]);
            Expect(s.P50, 5.0, "p50 of 1..10");
            Expect(s.P90, 9.0, "p90 of 1..10");
            Expect(s.P99, 10.0, "p99 of 1..10");
            var one = LatencyStats.FromMilliseconds([42]);
            Expect(one.P50, 42.0, "p50 of one sample");
            Expect(one.P999, 42.0, "p99.9 of one sample");
            Expect(double.IsNaN(LatencyStats.FromMilliseconds([]).P50), true, "empty is NaN");
            return Task.CompletedTask;
        });
        await Check("wrk done() line and strace -c table are read", () =>
        {
            var w = WrkResult.Parse(" requests=5000 duration_us=2000000 errors=10 connect=0 read=0 write=0 status=9 timeout=1 p50=150 p90=300 p99=2000 p999=5000 max=9000 mean=180.5");
            Expect(w.Requests, 5000L, "requests");
            Expect(w.ErrorKinds, "status 9, timeout 1", "error kinds");
            Expect(w.RequestsPerSecond, 2495.0, "req/s without the errors");
            Expect(w.Latency.P50, 0.15, "p50 in ms");
            Expect(w.Latency.P999, 5.0, "p99.9 in ms");
            var calls = StraceSummary.Parse("""
                % time     seconds  usecs/call     calls    errors syscall
                ------ ----------- ----------- --------- --------- ------------------
                 47.43   84.927430        8309     10221      2105 futex
                 24.79   44.388816         177    250215           sched_yield
                ------ ----------- ----------- --------- --------- ------------------
                100.00  179.000000          58    260436      2105 total
                """);
            Expect(calls.Count, 2, "rows without the total");
            Expect(calls["futex"], 10221L, "calls with an errors column");
            Expect(calls["sched_yield"], 250215L, "calls without one");
            return Task.CompletedTask;
        });
        await Check("telemetry cost: operations on against --no-telemetry of the same run", () =>
        {
            var on = new WrkRow { System = "nimbus (operations on) provided", LatencyMs = LatencyStats.FromMilliseconds([0.15]) };
            on.RequestsPerSecond[1] = 6000;
            on.RequestsPerSecond[32] = 9000;
            var off = new WrkRow { System = "nimbus --no-telemetry provided", LatencyMs = LatencyStats.FromMilliseconds([0.12]) };
            off.RequestsPerSecond[1] = 8000;
            off.RequestsPerSecond[32] = 9000;
            var cost = TelemetryCost.From([new WrkRow { System = "raw Kestrel echo" }, on, off])!;
            Expect(Math.Round(cost.ThroughputPercent[1], 6), 25.0, "share of throughput at 1");
            Expect(Math.Round(cost.ThroughputPercent[32], 6), 0.0, "none at 32");
            Expect(Math.Round(cost.P50Percent!.Value, 6), 25.0, "p50");
            Expect(TelemetryCost.From([on]) is null, true, "no --no-telemetry row");
            return Task.CompletedTask;
        });
        await Check("foreign cpu: busy ticks of the chosen cores only", () =>
        {
            string[] stat =
            [
                "cpu  900 0 300 5000 10 0 5 0 0 0",
                "cpu0 100 1 50 2000 7 2 3 4 9 0",
                "cpu1 800 0 250 3000 3 0 2 0 0 0",
                "intr 12345",
            ];
            // user + nice + system + irq + softirq + steal; idle, iowait and guest (inside user) are not busy.
            Expect(ForeignCpu.CoreBusyTicks(stat, [0]), 160L, "cpu0");
            Expect(ForeignCpu.CoreBusyTicks(stat, [0, 1]), 160L + 1052L, "cpu0 and cpu1");
            return Task.CompletedTask;
        });
        await Check("foreign cpu: a process's ticks, with a command name holding ') ('", () =>
        {
            const string line = "4242 (my) (worker) S 1 4242 4242 0 -1 4194304 100 0 0 0 30 12 7 5 20 0 3 0 12345 1000 50";
            Expect(ForeignCpu.ProcessTicks(line), 30L + 12 + 7 + 5, "utime + stime + cutime + cstime");
            return Task.CompletedTask;
        });
        await Check("foreign cpu: a child's CPU counts as the benchmark's, while it runs and after it exits", async () =>
        {
            var cores = CpuPlan.AllowedCpus();
            int[] roots = [Environment.ProcessId];
            var start = ForeignCpu.Take(cores, roots) ?? throw new InvalidOperationException("no /proc/stat");
            // A fixed amount of CPU work (not of wall time, so a busy machine changes nothing), then it waits.
            using var child = Process.Start(new ProcessStartInfo("sh", ["-c", "i=0; while [ $i -lt 500000 ]; do i=$((i+1)); done; echo spun; read line"])
            {
                RedirectStandardOutput = true,
                RedirectStandardInput = true,
            })!;
            Expect(await child.StandardOutput.ReadLineAsync(cancellationToken), "spun", "the child's output");
            var childTicks = ForeignCpu.ProcessTicks(await File.ReadAllTextAsync($"/proc/{child.Id}/stat", cancellationToken));
            var running = ForeignCpu.Take(cores, roots)!.Value.TreeTicks - start.TreeTicks;
            child.StandardInput.Close();
            await child.WaitForExitAsync(cancellationToken);
            var exited = ForeignCpu.Take(cores, roots)!.Value.TreeTicks - start.TreeTicks;
            Expect(childTicks >= 10, true, $"the child spun for at least 0.1 s of CPU ({childTicks} ticks)");
            Expect(running >= childTicks, true, $"the running child's {childTicks} ticks are in the tree's {running}");
            Expect(exited >= childTicks, true, $"the exited child's {childTicks} ticks stay in the tree's {exited}");
        });
        await Check("cpu list parsing", () =>
        {
            Expect(string.Join(',', CpuPlan.ParseCpuList("0-1,4,6-7")), "0,1,4,6,7", "0-1,4,6-7");
            return Task.CompletedTask;
        });
        await Check("zip keeps the executable bit of bootstrap", () =>
        {
            var dir = Directory.CreateTempSubdirectory("nimbus-bench-zip").FullName;
            try
            {
                var bootstrap = Path.Combine(dir, "bootstrap");
                File.WriteAllText(bootstrap, "#!/bin/sh\n");
                File.SetUnixFileMode(bootstrap, (UnixFileMode)Convert.ToInt32("755", 8));
                Directory.CreateDirectory(Path.Combine(dir, "lib"));
                File.WriteAllText(Path.Combine(dir, "lib", "data.txt"), "x");
                using var archive = new ZipArchive(new MemoryStream(Fixtures.Zip(dir)));
                var entry = archive.GetEntry("bootstrap") ?? throw new InvalidOperationException("no bootstrap entry");
                Expect(Convert.ToString((entry.ExternalAttributes >> 16) & 0x1FF, 8), "755", "bootstrap mode");
                Expect(archive.GetEntry("lib/data.txt") is not null, true, "nested entry with '/'");
            }
            finally
            {
                Directory.Delete(dir, recursive: true);
            }
            return Task.CompletedTask;
        });
        await Check("load generator against the baseline server (separate process)", async () =>
        {
            var port = NimbusHost.FreePort();
            var (file, args) = SelfCommand.For(["baseline-server", "--port", port.ToString(CultureInfo.InvariantCulture)]);
            await using var server = ManagedProcess.Start(file, args, core: null, redirectStdin: true);
            var ready = await Task.WhenAny(server.FirstStdoutLine, Task.Delay(TimeSpan.FromSeconds(30), cancellationToken));
            Expect(ready == server.FirstStdoutLine, true, "baseline server started: " + server.OutputTail());
            var body = Encoding.UTF8.GetBytes("""{"action":"echo"}""");
            var generator = new LoadGenerator(new Uri($"http://127.0.0.1:{port}{BaselineServer.Path}"), body, "application/json");
            var single = await generator.RunAsync(1, TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(1), 500, null, cancellationToken);
            Expect(single.Failed, 0L, "failed at 1 connection (" + single.FirstFailure + ")");
            Expect(single.Succeeded, 500L, "--requests cap honoured");
            Expect(single.Latency.P50 <= single.Latency.P99 && single.Latency.P99 <= single.Latency.Max, true, "p50 <= p99 <= max");
            var many = await generator.RunAsync(8, TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(1), long.MaxValue, null, cancellationToken);
            Expect(many.Failed, 0L, "failed at 8 connections (" + many.FirstFailure + ")");
            Expect(many.Succeeded > 8, true, "requests at 8 connections");
            var wrong = new LoadGenerator(new Uri($"http://127.0.0.1:{port}/missing"), body, "application/json");
            var notFound = await wrong.RunAsync(1, TimeSpan.Zero, TimeSpan.FromSeconds(0.2), 10, null, cancellationToken);
            Expect(notFound.Failed, 10L, "a 404 counts as a failure");
            Console.WriteLine($"      baseline: {single.RequestsPerSecond:0} req/s at 1 connection (p50 {single.Latency.P50:0.000} ms), " +
                $"{many.RequestsPerSecond:0} req/s at 8 (unpinned, self-check only)");
        });
        await Check("stub runtime API runs the C echo bootstrap and times its start", async () =>
        {
            if (!Fixtures.OnPath("gcc"))
            {
                throw new InvalidOperationException("gcc not found (the python bootstrap would be used)");
            }
            var repo = Fixtures.FindRepoRoot(null);
            var work = Directory.CreateTempSubdirectory("nimbus-bench-check").FullName;
            try
            {
                var package = await new Fixtures(repo, work, build: true).ProvidedEchoAsync("c", cancellationToken);
                var payload = Encoding.UTF8.GetBytes("""{"action":"echo","n":1}""");
                var spec = WorkerLaunchSpec.Guess(package, "selfcheck");
                await using (var stub = await RuntimeApiStub.StartAsync(payload, cancellationToken))
                await using (var worker = ManagedProcess.Start(spec.Executable, spec.Arguments, null, spec.WorkingDirectory,
                    spec.EnvironmentFor(stub.Address), replaceEnvironment: true))
                {
                    var done = await Task.WhenAny(stub.Response.Task, Task.Delay(TimeSpan.FromSeconds(10), cancellationToken));
                    Expect(done == stub.Response.Task, true, "bootstrap answered: " + worker.OutputTail());
                    Expect((await stub.Response.Task).Body, Encoding.UTF8.GetString(payload), "echoed body");
                }
                var (toNext, toResponse) = await new BareStartBench(null, payload).RunAsync(spec, 10, cancellationToken);
                Expect(toNext.Count, 10, "bare samples");
                Expect(toNext.Zip(toResponse).All(p => p.First > 0 && p.First <= p.Second), true, "0 < next <= response");
                Console.WriteLine($"      C bootstrap bare start: median {LatencyStats.FromMilliseconds(toNext).P50:0.00} ms to next, " +
                    $"{LatencyStats.FromMilliseconds(toResponse).P50:0.00} ms to response");
            }
            finally
            {
                Directory.Delete(work, recursive: true);
            }
        });
        await Check("an unreachable Nimbus fails fast with a clear message", async () =>
        {
            var url = new Uri($"http://127.0.0.1:{NimbusHost.FreePort()}");
            var started = Stopwatch.GetTimestamp();
            try
            {
                await using var host = await NimbusHost.AttachAsync(url, null, TimeSpan.FromSeconds(2), cancellationToken);
                throw new InvalidOperationException("attach succeeded against a closed port");
            }
            catch (BenchFailure ex)
            {
                Expect(ex.Message.Contains("api/v1/health", StringComparison.Ordinal), true, "message names the health endpoint: " + ex.Message);
            }
            Expect(Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(10), true, "gave up in time");
        });

        Console.WriteLine(failures == 0 ? "selfcheck passed" : $"selfcheck: {failures} failure(s)");
        return failures == 0 ? 0 : 1;
    }

    private static void Expect<T>(T actual, T expected, string what)
    {
        if (!EqualityComparer<T>.Default.Equals(actual, expected))
        {
            throw new InvalidOperationException($"{what}: expected {expected}, got {actual}");
        }
    }
}
