using System.Globalization;

namespace Nimbus.Bench;

/// <summary>
/// The wrk rows in one run: the raw Kestrel echo, Nimbus with its operations layer on (the default), and Nimbus started
/// with <c>--no-telemetry</c> (and, with <c>--wrk-peer-dll</c>, another build of Nimbus), each on a freshly started,
/// pinned server, all with the C echo bootstrap.
/// </summary>
public sealed class WrkSection(BenchOptions options, CpuPlan cpu, byte[] payload, BenchReport report)
{
    private const string FunctionName = "echo-wrk";

    public async Task RunAsync(string repoRoot, string work, CancellationToken cancellationToken)
    {
        if (!WrkBench.Available)
        {
            report.Notes.Add($"wrk figures skipped: {WrkBench.WrkPath} is not installed (Debian package wrk)");
            return;
        }
        var bench = new WrkBench(options, payload, work);
        Console.WriteLine($"wrk: the warm path with wrk on the harness's core; strace over {bench.SyscallInvokes} sequential invokes");

        var port = NimbusHost.FreePort();
        var (file, args) = SelfCommand.For(["baseline-server", "--port", port.ToString(CultureInfo.InvariantCulture)]);
        await using (var server = ManagedProcess.Start(file, args, cpu.ServerCore, redirectStdin: true))
        {
            var ready = await Task.WhenAny(server.FirstStdoutLine, Task.Delay(TimeSpan.FromSeconds(30), cancellationToken));
            if (ready != server.FirstStdoutLine)
            {
                throw new BenchFailure($"the baseline server did not start: {server.CommandLine}\n{server.OutputTail()}");
            }
            report.Wrk.Add(await bench.RunAsync("raw Kestrel echo", new Uri($"http://127.0.0.1:{port}{BaselineServer.Path}"), server.Id, cancellationToken));
        }

        var fixtures = new Fixtures(repoRoot, work, options.Build);
        var package = await fixtures.ProvidedEchoAsync(options.ProvidedBootstrap, cancellationToken);
        var dll = await fixtures.NimbusDllAsync(options.NimbusDll, cancellationToken);
        var systems = new List<(string System, string Dll, string[] UpArguments)>
        {
            ("nimbus (operations on)", dll, []),
            ("nimbus --no-telemetry", dll, ["--no-telemetry"]),
        };
        if (options.WrkPeerDll is { } peer)
        {
            systems.Add((options.WrkPeerLabel, peer, []));
        }

        foreach (var (system, systemDll, upArguments) in systems)
        {
            await using var nimbus = await NimbusHost.StartAsync(systemDll, cpu.ServerCore, options.StartTimeout, cancellationToken, upArguments);
            var client = nimbus.Client;
            await client.PutFunctionAsync(FunctionName, package.Runtime, package.Handler, null, cancellationToken);
            await client.PutCodeAsync(FunctionName, package.Zip, cancellationToken);
            var first = await client.InvokeAsync(FunctionName, payload, cancellationToken);
            if (first.Status != 200 || first.FunctionError is not null)
            {
                throw new BenchFailure($"first invoke of {FunctionName} answered {first.Status} {first.FunctionError}: {first.Body}");
            }
            report.Wrk.Add(await bench.RunAsync($"{system} {package.Runtime}", client.InvokeUri(FunctionName), nimbus.ProcessId, cancellationToken));
        }
    }
}
