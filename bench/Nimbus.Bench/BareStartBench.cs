using System.Diagnostics;

namespace Nimbus.Bench;

/// <summary>
/// Starts a worker directly against a <see cref="RuntimeApiStub"/>, pinned like a Nimbus worker, and times process
/// start → first <c>next</c> and → first response. That is the floor a platform's cold start cannot go below.
/// </summary>
public sealed class BareStartBench(int? core, byte[] payload)
{
    private static readonly TimeSpan SampleTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// CPU time (utime + stime of the launched process tree, 10 ms ticks) from start to the first response, per counted
    /// sample: unlike the wall-clock figures it hardly moves when other processes share the core.
    /// </summary>
    public List<double> CpuToResponseMs { get; } = [];

    public async Task<(List<double> ToNextMs, List<double> ToResponseMs)> RunAsync(
        WorkerLaunchSpec spec, int samples, CancellationToken cancellationToken)
    {
        var toNext = new List<double>();
        var toResponse = new List<double>();
        // Sample 0 is discarded: it pays for the page cache the others find warm, as Nimbus's discarded sample does.
        for (var i = 0; i <= samples; i++)
        {
            var (next, response, cpu) = await SampleAsync(spec, cancellationToken);
            if (i > 0)
            {
                toNext.Add(next);
                toResponse.Add(response);
                CpuToResponseMs.Add(cpu);
            }
        }
        return (toNext, toResponse);
    }

    private async Task<(double NextMs, double ResponseMs, double CpuMs)> SampleAsync(WorkerLaunchSpec spec, CancellationToken cancellationToken)
    {
        await using var stub = await RuntimeApiStub.StartAsync(payload, cancellationToken);
        var start = Stopwatch.GetTimestamp();
        await using var worker = ManagedProcess.Start(
            spec.Executable, spec.Arguments, core, spec.WorkingDirectory, spec.EnvironmentFor(stub.Address), replaceEnvironment: true);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(SampleTimeout);
        var exited = worker.WaitForExitAsync(timeout.Token);
        var first = await Task.WhenAny(stub.Response.Task, exited);
        if (first != stub.Response.Task)
        {
            await exited.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
            var why = worker.HasExited ? $"exited with code {worker.ExitCode}" : $"did not answer within {SampleTimeout.TotalSeconds:0} s";
            throw new BenchFailure($"bare worker {why}: {spec.CommandLine}\n{worker.OutputTail()}");
        }
        var (responseAt, _) = await stub.Response.Task;
        var cpu = ProcessCpu.Take(worker.Id);
        var nextAt = await stub.FirstNext.Task;
        return (Ms(nextAt - start), Ms(responseAt - start), (cpu.ServerSeconds + cpu.WorkerSeconds) * 1000);
    }

    private static double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
}
