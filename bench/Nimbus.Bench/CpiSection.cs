namespace Nimbus.Bench;

/// <summary>
/// Several invocations per instance (issue 13): the C# SDK echo at <see cref="Connections"/> connections with
/// <c>concurrencyPerInstance</c> 1 and 16, next to the C echo worker (1 per instance) on the same server in the same
/// run. Each row says how many worker processes served it.
/// </summary>
public sealed class CpiSection(BenchOptions options, CpuPlan cpu, byte[] payload, BenchReport report)
{
    public const int Connections = 32;

    public async Task RunAsync(string repoRoot, string work, CancellationToken cancellationToken)
    {
        var fixtures = new Fixtures(repoRoot, work, options.Build);
        var provided = await fixtures.ProvidedEchoAsync(options.ProvidedBootstrap, cancellationToken);
        var dotnet = await fixtures.DotnetEchoAsync(options.DotnetFixture, cancellationToken);
        var dll = await fixtures.NimbusDllAsync(options.NimbusDll, cancellationToken);
        await using var nimbus = await NimbusHost.StartAsync(dll, cpu.ServerCore, options.StartTimeout, cancellationToken);
        var client = nimbus.Client;
        var wrk = WrkBench.Available ? new WrkBench(options, payload, work) : null;
        Console.WriteLine($"cpi: {Connections} connections, warm-up {options.WarmUp.TotalSeconds:0.#} s, {options.Duration.TotalSeconds:0.#} s each");

        foreach (var (name, package, perInstance) in new[] { ("cpi-c", provided, 1), ("cpi-cs-1", dotnet, 1), ("cpi-cs-16", dotnet, 16) })
        {
            await client.PutFunctionAsync(name, package.Runtime, package.Handler, null, cancellationToken, perInstance);
            await client.PutCodeAsync(name, package.Zip, cancellationToken);
            var first = await client.InvokeAsync(name, payload, cancellationToken);
            if (first.Status != 200 || first.FunctionError is not null)
            {
                throw new BenchFailure($"first invoke of {name} answered {first.Status} {first.FunctionError}: {first.Body}");
            }

            var (row, failure) = await LoadAsync(wrk, client.InvokeUri(name), nimbus.ProcessId, cancellationToken);
            var processes = (await client.GetInstancesAsync(cancellationToken)).Count(i => i.FunctionName == name);
            row = row with { System = $"{name} ({package.Runtime})", ConcurrencyPerInstance = perInstance, Processes = processes };
            Console.WriteLine($"  {row.System} x{perInstance}: {row.RequestsPerSecond:0} req/s on {processes} process(es)" +
                (row.WarmUpRates.Count > 0 ? $" after {row.WarmUpSeconds:0} s of warm-up ({string.Join(" → ", row.WarmUpRates.Select(r => r.ToString("0", System.Globalization.CultureInfo.InvariantCulture)))} req/s)" : "") +
                (row.Failed > 0 ? $", {row.Failed} failed{failure}" : ""));
            report.Cpi.Add(row);
            // The next function gets the worker core to itself.
            await client.DeleteFunctionAsync(name, cancellationToken);
        }
    }

    /// <summary>
    /// wrk when it is installed, as the wrk section (issue 13: the harness's own generator only where wrk cannot serve),
    /// warmed up until its rate is steady; the generator otherwise. The row says which of the two drove the load.
    /// </summary>
    private async Task<(CpiRow Row, string Failure)> LoadAsync(WrkBench? wrk, Uri uri, int? serverPid, CancellationToken cancellationToken)
    {
        if (wrk is not null)
        {
            var load = await wrk.LoadAsync(uri, Connections, options.WarmUp, options.Duration, serverPid, cancellationToken);
            var result = load.Result;
            return (new CpiRow("", 0, result.RequestsPerSecond, result.Latency, 0, result.Errors, "wrk")
            {
                WarmUpSeconds = load.WarmUpSeconds,
                WarmUpRates = load.WarmUpRates,
                ServerCpuUsPerInvoke = load.ServerCpuUsPerInvoke,
                WorkerCpuUsPerInvoke = load.WorkerCpuUsPerInvoke,
            }, " (wrk counts a status >= 400 or a timeout)");
        }

        var generator = new LoadGenerator(uri, payload, "application/json");
        var run = await generator.RunAsync(Connections, options.WarmUp, options.Duration, long.MaxValue, null, cancellationToken);
        return (new CpiRow("", 0, run.RequestsPerSecond, run.Latency, 0, run.Failed, "harness") { WarmUpSeconds = options.WarmUp.TotalSeconds },
            $" ({run.FirstFailure})");
    }
}
