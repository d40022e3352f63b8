namespace Nimbus.Bench;

/// <summary>Figure 1 and 2: latency at one connection, then throughput at each configured connection count.</summary>
public sealed class WarmBench(BenchOptions options, byte[] payload)
{
    /// <param name="countInstances">Nimbus only: the function's instance count, to warm up until it stops growing.</param>
    public async Task<List<WarmPoint>> RunAsync(
        string target, Uri uri, Func<CancellationToken, Task<int>>? countInstances, CancellationToken cancellationToken)
    {
        var points = new List<WarmPoint>();
        var generator = new LoadGenerator(uri, payload, "application/json")
        {
            FailureHeader = countInstances is null ? null : NimbusClient.FunctionErrorHeader,
        };
        foreach (var connections in new[] { 1 }.Concat(options.Concurrency))
        {
            var lastCount = countInstances is null ? 0 : await countInstances(cancellationToken);
            Func<CancellationToken, Task<bool>>? again = countInstances is null
                ? null
                : async ct =>
                {
                    var count = await countInstances(ct);
                    var grew = count > lastCount;
                    lastCount = count;
                    return grew;
                };
            Console.Write($"  {target,-16} {connections,3} connection(s): warm-up {options.WarmUp.TotalSeconds:0.#} s, measure {options.Duration.TotalSeconds:0.#} s … ");
            var result = await generator.RunAsync(
                connections,
                options.WarmUp,
                options.Duration,
                connections == 1 && options.Requests > 0 ? options.Requests : long.MaxValue,
                again,
                cancellationToken);
            int? instances = countInstances is null ? null : await countInstances(cancellationToken);
            var point = WarmPoint.From(target, result, instances);
            points.Add(point);
            Console.WriteLine($"{point.RequestsPerSecond:0} req/s, p50 {point.LatencyMs.P50:0.000} ms" +
                (point.Failed > 0 ? $", {point.Failed} failed ({point.FirstFailure})" : "") +
                (instances is { } n ? $", {n} instance(s)" : ""));
        }
        return points;
    }
}
