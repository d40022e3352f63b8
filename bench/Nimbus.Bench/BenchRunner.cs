using System.Globalization;
using System.Text;

namespace Nimbus.Bench;

/// <summary>Runs the sections in order — baseline first, so that no Nimbus process competes with it — and reports.</summary>
public sealed class BenchRunner(BenchOptions options, CpuPlan cpu, string rerunCommand)
{
    public const string PayloadMarker = "nimbus-bench-echo";

    /// <summary>Other processes taking more than this share of the benchmark's cores make its figures unreliable.</summary>
    public const double BusyShare = 0.1;
    private static readonly byte[] s_payload = Encoding.UTF8.GetBytes($$"""{"action":"echo","message":"{{PayloadMarker}}"}""");

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var machine = await MachineInfo.DetectAsync(cancellationToken);
        var repoRoot = Fixtures.FindRepoRoot(options.RepoRoot);
        var report = new BenchReport
        {
            Timestamp = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            RerunCommand = rerunCommand,
            Machine = machine,
            CpuPlan = cpu.Description,
            Settings = BenchSettings.From(options),
            Payload = Encoding.UTF8.GetString(s_payload),
        };
        ReportPrinter.PrintHeader(report);
        var cores = cpu is { ServerCore: { } server, HarnessCore: { } harness } ? [server, harness] : CpuPlan.AllowedCpus();
        // The harness's tree holds Nimbus (or the baseline) and their workers; an attached Nimbus is the benchmark's too.
        int[] roots = options.NimbusPid is { } attached ? [Environment.ProcessId, attached] : [Environment.ProcessId];
        var foreignStart = ForeignCpu.Take(cores, roots);

        var work = Path.Combine(Path.GetTempPath(), "nimbus-bench-work-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(work);
        try
        {
            if (options.Sections.Contains("baseline"))
            {
                await Section(report, "baseline", () => RunBaselineAsync(report, cancellationToken));
            }
            if (options.Sections.Overlaps(["warm", "cold", "memory", "async"]))
            {
                await RunNimbusAsync(report, repoRoot, work, cancellationToken);
            }
            if (options.Sections.Contains("cpi"))
            {
                await Section(report, "cpi", () => new CpiSection(options, cpu, s_payload, report).RunAsync(repoRoot, work, cancellationToken));
            }
            if (options.Sections.Contains("wrk"))
            {
                await Section(report, "wrk", () => new WrkSection(options, cpu, s_payload, report).RunAsync(repoRoot, work, cancellationToken));
            }
        }
        finally
        {
            try
            {
                Directory.Delete(work, recursive: true);
            }
            catch (IOException)
            {
            }
        }

        ComputeRatios(report);
        report.LoadAverageAtEnd = MachineInfo.LoadAverage();
        if (foreignStart is { } start && ForeignCpu.Take(cores, roots) is { } end)
        {
            var foreign = ForeignCpu.Between(start, end, cores.Count);
            report.ForeignCpuCores = foreign.ForeignCores;
            if (foreign.Share > BusyShare)
            {
                report.Notes.Add($"the machine was busy: processes outside the benchmark used {foreign.ForeignCores:0.00} of its {cores.Count} cores " +
                    $"({foreign.Share:P0}) on average over {foreign.Elapsed.TotalSeconds:0} s, so these figures are unreliable; rerun on an idle machine");
            }
        }
        ReportPrinter.PrintResults(report);
        var resultsDirectory = options.ResultsDirectory ?? Path.Combine(repoRoot, "bench", "results");
        var written = await ReportWriter.WriteAsync(report, resultsDirectory, cancellationToken);
        Console.WriteLine($"results: {written}");
        return report.Errors.Count == 0 ? 0 : 1;
    }

    private async Task RunBaselineAsync(BenchReport report, CancellationToken cancellationToken)
    {
        var port = NimbusHost.FreePort();
        var (file, args) = SelfCommand.For(["baseline-server", "--port", port.ToString(CultureInfo.InvariantCulture)]);
        await using var server = ManagedProcess.Start(file, args, cpu.ServerCore, redirectStdin: true);
        report.BaselineCommand = server.CommandLine;
        var ready = await Task.WhenAny(server.FirstStdoutLine, Task.Delay(TimeSpan.FromSeconds(30), cancellationToken));
        if (ready != server.FirstStdoutLine)
        {
            throw new BenchFailure($"the baseline server did not start: {server.CommandLine}\n{server.OutputTail()}");
        }
        Console.WriteLine("baseline: raw Kestrel echo in its own process");
        var points = await new WarmBench(options, s_payload)
            .RunAsync("baseline", new Uri($"http://127.0.0.1:{port}{BaselineServer.Path}"), null, cancellationToken);
        report.Warm.AddRange(points);
    }

    private async Task RunNimbusAsync(BenchReport report, string repoRoot, string work, CancellationToken cancellationToken)
    {
        var fixtures = new Fixtures(repoRoot, work, options.Build);
        var packages = new List<FunctionPackage>();
        if (options.Runtimes.Contains("provided"))
        {
            await Section(report, "provided echo build", async () => packages.Add(await fixtures.ProvidedEchoAsync(options.ProvidedBootstrap, cancellationToken)));
        }
        if (options.Runtimes.Contains("dotnet"))
        {
            await Section(report, "C# echo build", async () => packages.Add(await fixtures.DotnetEchoAsync(options.DotnetFixture, cancellationToken)));
        }
        foreach (var p in packages)
        {
            report.Workers[p.Runtime] = p.Description;
        }
        if (packages.Count == 0)
        {
            report.Errors.Add("no echo worker could be built; the Nimbus figures were skipped");
            return;
        }

        NimbusHost nimbus;
        try
        {
            nimbus = options.NimbusUrl is { } url
                ? await NimbusHost.AttachAsync(url, options.NimbusPid, options.StartTimeout, cancellationToken)
                : await NimbusHost.StartAsync(await fixtures.NimbusDllAsync(options.NimbusDll, cancellationToken), cpu.ServerCore, options.StartTimeout, cancellationToken);
        }
        catch (BenchFailure ex)
        {
            report.Errors.Add("Nimbus could not be started or reached; its figures were skipped: " + ex.Message);
            Console.Error.WriteLine("error: " + ex.Message);
            return;
        }
        await using (nimbus)
        {
            report.NimbusCommand = nimbus.CommandLine;
            Console.WriteLine($"nimbus: {nimbus.CommandLine}");
            if (options.Sections.Contains("memory"))
            {
                if (nimbus.ProcessId is not { } pid)
                {
                    report.Notes.Add("memory figures skipped: Nimbus was not started by the harness and no --nimbus-pid was given");
                }
                else
                {
                    var memory = new MemoryBench(options, nimbus, pid, s_payload);
                    foreach (var package in packages)
                    {
                        Console.WriteLine($"memory: {options.MemoryInstances} idle {package.Runtime} instances");
                        await Section(report, $"memory {package.Runtime}", async () => report.Memory.Add(await memory.RunAsync(package, cancellationToken)));
                    }
                }
            }
            if (options.Sections.Contains("warm"))
            {
                foreach (var package in packages)
                {
                    await Section(report, $"warm {package.Runtime}", () => RunWarmAsync(report, nimbus, package, cancellationToken));
                }
            }
            if (options.Sections.Contains("async"))
            {
                var asyncBench = new AsyncBench(options, nimbus, s_payload);
                foreach (var package in packages)
                {
                    await Section(report, $"async {package.Runtime}", () => asyncBench.RunAsync(report, package, cancellationToken));
                }
            }
            if (options.Sections.Contains("cold"))
            {
                var cold = new ColdStartBench(options, nimbus, cpu.ServerCore, s_payload);
                foreach (var package in packages)
                {
                    Console.Write($"cold starts: {package.Runtime} ({options.ColdMethod}) ");
                    await Section(report, $"cold {package.Runtime}", async () => report.ColdStarts.Add(await cold.RunAsync(package, cancellationToken)));
                }
            }
        }
    }

    private async Task RunWarmAsync(BenchReport report, NimbusHost nimbus, FunctionPackage package, CancellationToken cancellationToken)
    {
        var client = nimbus.Client;
        var name = $"echo-{package.Runtime}";
        await client.PutFunctionAsync(name, package.Runtime, package.Handler, null, cancellationToken);
        await client.PutCodeAsync(name, package.Zip, cancellationToken);
        try
        {
            var first = await client.InvokeAsync(name, s_payload, cancellationToken);
            if (first.Status != 200 || first.FunctionError is not null)
            {
                throw new BenchFailure($"first invoke of {name} answered {first.Status} {first.FunctionError}: {first.Body}");
            }
            if (!first.Body.Contains(PayloadMarker, StringComparison.Ordinal))
            {
                report.Notes.Add($"{name} answered without echoing the payload (the figures still count it as a success): {first.Body}");
            }
            Console.WriteLine($"nimbus warm: {name} ({package.Description})");
            var points = await new WarmBench(options, s_payload).RunAsync(
                $"nimbus {package.Runtime}",
                client.InvokeUri(name),
                async ct => (await client.GetInstancesAsync(ct)).Count(x => x.FunctionName == name),
                cancellationToken);
            report.Warm.AddRange(points);
        }
        finally
        {
            // Its idle instances would otherwise count against the platform's instance limit in the next runs.
            await client.DeleteFunctionAsync(name, cancellationToken);
        }
    }

    private static async Task Section(BenchReport report, string name, Func<Task> run)
    {
        try
        {
            await run();
        }
        // An HttpClient timeout is a TaskCanceledException around a TimeoutException; a user's Ctrl+C is not caught.
        catch (Exception ex) when (ex is not OperationCanceledException || ex.InnerException is TimeoutException)
        {
            var message = $"{name}: {ex.Message}";
            report.Errors.Add(message);
            Console.Error.WriteLine($"\nerror: {message}");
        }
    }

    private static void ComputeRatios(BenchReport report)
    {
        var baseline = report.Warm.Where(p => p.Target == "baseline").ToDictionary(p => p.Connections);
        foreach (var point in report.Warm.Where(p => p.Target != "baseline"))
        {
            if (!baseline.TryGetValue(point.Connections, out var b))
            {
                continue;
            }
            if (point.Connections == 1)
            {
                report.Ratios.Add(new WarmRatio(point.Target, "p50 ms", point.LatencyMs.P50, b.LatencyMs.P50));
                report.Ratios.Add(new WarmRatio(point.Target, "p90 ms", point.LatencyMs.P90, b.LatencyMs.P90));
                report.Ratios.Add(new WarmRatio(point.Target, "p99 ms", point.LatencyMs.P99, b.LatencyMs.P99));
                report.Ratios.Add(new WarmRatio(point.Target, "p99.9 ms", point.LatencyMs.P999, b.LatencyMs.P999));
                report.Ratios.Add(new WarmRatio(point.Target, "max ms", point.LatencyMs.Max, b.LatencyMs.Max));
            }
            report.Ratios.Add(new WarmRatio(point.Target, $"req/s @{point.Connections}", point.RequestsPerSecond, b.RequestsPerSecond));
        }
    }
}
