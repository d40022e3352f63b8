namespace Nimbus.Bench;

/// <summary>
/// Figure 4: RSS of idle workers, and the nimbus server's RSS growth per idle instance. The server is measured with
/// one instance (so its invoke path is already warmed and JIT-compiled) and again with N more; the difference over N
/// is what each instance costs the platform itself.
/// </summary>
public sealed class MemoryBench(BenchOptions options, NimbusHost nimbus, int serverPid, byte[] payload)
{
    public async Task<MemoryResult> RunAsync(FunctionPackage package, CancellationToken cancellationToken)
    {
        var client = nimbus.Client;
        var name = $"mem-{package.Runtime}-{Guid.NewGuid().ToString("N")[..6]}";
        await client.PutFunctionAsync(name, package.Runtime, package.Handler, null, cancellationToken);
        await client.PutCodeAsync(name, package.Zip, cancellationToken);
        try
        {
            await InvokeOkAsync(name, cancellationToken);
            await Task.Delay(1000, cancellationToken);
            var before = await CountAsync(name, cancellationToken);
            var rssBefore = await ProcMemory.SteadyRssKbAsync(serverPid, cancellationToken)
                ?? throw new BenchFailure($"cannot read /proc/{serverPid}/status of the nimbus server");

            // All at once, so that each finds every instance busy and Nimbus starts a new one.
            await Task.WhenAll(Enumerable.Range(0, options.MemoryInstances + before).Select(_ => InvokeOkAsync(name, cancellationToken)));
            await Task.Delay(2000, cancellationToken);
            var instances = (await client.GetInstancesAsync(cancellationToken)).Where(x => x.FunctionName == name && x.ProcessId > 0).ToList();
            var added = instances.Count - before;
            if (added < 1)
            {
                throw new BenchFailure($"{options.MemoryInstances + before} concurrent invokes of {name} left {instances.Count} instance(s); expected more than {before}");
            }
            var rssAfter = await ProcMemory.SteadyRssKbAsync(serverPid, cancellationToken) ?? rssBefore;
            var workerKb = new List<long>();
            foreach (var instance in instances)
            {
                nimbus.TrackWorker(instance.ProcessId);
                if (ProcMemory.TreeRssKb(instance.ProcessId) is { } kb)
                {
                    workerKb.Add(kb);
                }
            }
            if (workerKb.Count == 0)
            {
                throw new BenchFailure("no worker process of the instances could be read in /proc");
            }
            workerKb.Sort();
            return new MemoryResult(
                package.Runtime,
                instances.Count,
                added,
                workerKb[workerKb.Count / 2] / 1024.0,
                workerKb[^1] / 1024.0,
                rssBefore / 1024.0,
                rssAfter / 1024.0,
                (rssAfter - rssBefore) / 1024.0 / added);
        }
        finally
        {
            await client.DeleteFunctionAsync(name, cancellationToken);
        }
    }

    private async Task<int> CountAsync(string name, CancellationToken cancellationToken) =>
        (await nimbus.Client.GetInstancesAsync(cancellationToken)).Count(x => x.FunctionName == name);

    private async Task InvokeOkAsync(string name, CancellationToken cancellationToken)
    {
        var answer = await nimbus.Client.InvokeAsync(name, payload, cancellationToken);
        if (answer.Status != 200 || answer.FunctionError is not null)
        {
            throw new BenchFailure($"invoke of {name} answered {answer.Status} {answer.FunctionError}: {answer.Body}");
        }
    }
}
