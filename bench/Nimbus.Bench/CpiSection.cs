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

            var (rate, latency, failed, failure) = await LoadAsync(client.InvokeUri(name), work, cancellationToken);
            var processes = (await client.GetInstancesAsync(cancellationToken)).Count(i => i.FunctionName == name);
            var row = new CpiRow($"{name} ({package.Runtime})", perInstance, rate, latency, processes, failed, WrkBench.Available ? "wrk" : "harness");
            Console.WriteLine($"  {row.System} x{perInstance}: {row.RequestsPerSecond:0} req/s on {processes} process(es)" +
                (failed > 0 ? $", {failed} failed{failure}" : ""));
            report.Cpi.Add(row);
            // The next function gets the worker core to itself.
            await client.DeleteFunctionAsync(name, cancellationToken);
        }
    }

    /// <summary>
    /// wrk when it is installed, as the wrk section: the harness's own generator at 32 connections takes as much of its
    /// core as the load it makes, and its figures were a third of wrk's for the same server. The generator otherwise.
    /// </summary>
    private async Task<(double Rate, LatencyStats Latency, long Failed, string Failure)> LoadAsync(Uri uri, string work, CancellationToken cancellationToken)
    {
        if (WrkBench.Available)
        {
            var wrk = await new WrkBench(options, payload, work).LoadAsync(uri, Connections, options.WarmUp, options.Duration, cancellationToken);
            return (wrk.RequestsPerSecond, wrk.Latency, wrk.Errors, " (wrk counts a status >= 400 or a timeout)");
        }

        var generator = new LoadGenerator(uri, payload, "application/json");
        var result = await generator.RunAsync(Connections, options.WarmUp, options.Duration, long.MaxValue, null, cancellationToken);
        return (result.RequestsPerSecond, result.Latency, result.Failed, $" ({result.FirstFailure})");
    }
}
