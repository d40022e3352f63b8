namespace Nimbus.Bench;

/// <summary>
/// Figure 3: cold invokes through Nimbus against bare starts of the same worker. Method "fresh-function" deploys a
/// new function per sample (nothing can be warm) and deletes it after; "config-change" updates one function's
/// environment before each sample, which must retire its instances.
/// </summary>
public sealed class ColdStartBench(BenchOptions options, NimbusHost nimbus, int? core, byte[] payload)
{
    public async Task<ColdStartResult> RunAsync(FunctionPackage package, CancellationToken cancellationToken)
    {
        var client = nimbus.Client;
        var prefix = $"cold-{package.Runtime}-{Guid.NewGuid().ToString("N")[..6]}";
        var clientMs = new List<double>();
        var initMs = new List<double>();
        var confirmed = 0;
        WorkerLaunchSpec? observed = null;
        string? firstName = null;

        for (var i = 0; i <= options.ColdSamples; i++)
        {
            var name = options.ColdMethod == "fresh-function" ? $"{prefix}-{i}" : prefix;
            var environment = new Dictionary<string, string> { ["BENCH_SAMPLE"] = i.ToString(System.Globalization.CultureInfo.InvariantCulture) };
            await client.PutFunctionAsync(name, package.Runtime, package.Handler, environment, cancellationToken);
            if (options.ColdMethod == "fresh-function" || i == 0)
            {
                await client.PutCodeAsync(name, package.Zip, cancellationToken);
            }
            var answer = await client.InvokeAsync(name, payload, cancellationToken);
            if (answer.Status != 200 || answer.FunctionError is not null)
            {
                throw new BenchFailure($"cold invoke of {name} ({package.Runtime}) answered {answer.Status}" +
                    (answer.FunctionError is null ? "" : $" with function error {answer.FunctionError}") + $": {Truncate(answer.Body)}");
            }
            if (i == 0)
            {
                // Sample 0 warms the disk cache and the platform's code paths; it is not counted. Its worker shows
                // how Nimbus launches this runtime, for the bare start.
                firstName = name;
                var instance = (await client.GetInstancesAsync(cancellationToken)).FirstOrDefault(x => x.FunctionName == name && x.ProcessId > 0);
                if (instance is not null)
                {
                    nimbus.TrackWorker(instance.ProcessId);
                    observed = WorkerLaunchSpec.FromProcess(instance.ProcessId);
                }
                continue;
            }
            clientMs.Add(answer.ElapsedMs);
            if (answer.InitDurationMs is { } init)
            {
                initMs.Add(init);
            }
            if (answer.ColdStart)
            {
                confirmed++;
            }
            if (options.ColdMethod == "fresh-function")
            {
                await client.DeleteFunctionAsync(name, cancellationToken);
            }
            Console.Write(".");
        }
        Console.WriteLine();

        var spec = observed ?? WorkerLaunchSpec.Guess(package, prefix);
        List<double> toNext = [], toResponse = [];
        var bareStarts = new BareStartBench(core, payload);
        string? bareError = null;
        try
        {
            Console.WriteLine($"  bare starts of the {package.Runtime} worker ({spec.Source})");
            (toNext, toResponse) = await bareStarts.RunAsync(spec, options.ColdSamples, cancellationToken);
        }
        catch (BenchFailure ex)
        {
            bareError = ex.Message;
        }
        finally
        {
            if (firstName is not null)
            {
                await client.DeleteFunctionAsync(firstName, cancellationToken);
            }
        }

        var cold = LatencyStats.FromMilliseconds(clientMs);
        var bare = LatencyStats.FromMilliseconds(toResponse);
        return new ColdStartResult(
            package.Runtime,
            package.Description,
            options.ColdMethod,
            clientMs.Count,
            confirmed,
            cold,
            LatencyStats.FromMilliseconds(initMs),
            LatencyStats.FromMilliseconds(toNext),
            bare,
            cold.P50 - bare.P50,
            cold.P90 - bare.P90,
            spec.CommandLine,
            spec.Source,
            bareError)
        {
            BareCpuToResponse = LatencyStats.FromMilliseconds(bareStarts.CpuToResponseMs),
        };
    }

    private static string Truncate(string s) => s.Length > 300 ? s[..300] + "…" : s;
}
