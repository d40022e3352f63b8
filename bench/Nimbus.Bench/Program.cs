using System.Diagnostics;
using System.Globalization;
using Nimbus.Bench;

var verb = args.Length > 0 && !args[0].StartsWith('-') ? args[0] : "run";
var rest = verb == "run" && (args.Length == 0 || args[0].StartsWith('-')) ? args : args[1..];

using var cts = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cts.Cancel();
};

try
{
    switch (verb)
    {
        case "baseline-server":
            var port = rest.Length == 2 && rest[0] == "--port" ? int.Parse(rest[1], CultureInfo.InvariantCulture) : throw new ArgumentException("usage: baseline-server --port N");
            return await BaselineServer.RunAsync(port, cts.Token);
        case "selfcheck":
            return await SelfCheck.RunAsync(cts.Token);
        case "run":
            if (rest.Contains("--help") || rest.Contains("-h"))
            {
                Console.WriteLine(BenchOptions.Usage);
                return 0;
            }
            var options = BenchOptions.Parse(rest);
            var rerun = "dotnet run -c Release --project bench/Nimbus.Bench --" + string.Concat(rest.Select(a => " " + ManagedProcess.Quote(a)));
            var plan = CpuPlan.FromEnvironment();
            if (plan is null)
            {
                plan = CpuPlan.Choose(options.Pin);
                if (plan.HarnessCore is { } harnessCore)
                {
                    return await RunPinnedAsync(plan, harnessCore, args, cts.Token);
                }
            }
            return await new BenchRunner(options, plan, rerun).RunAsync(cts.Token);
        default:
            Console.Error.WriteLine($"unknown verb '{verb}'\n\n{BenchOptions.Usage}");
            return 2;
    }
}
catch (Exception ex) when (ex is ArgumentException or FormatException)
{
    Console.Error.WriteLine($"error: {ex.Message}\n\n{BenchOptions.Usage}");
    return 2;
}
catch (BenchFailure ex)
{
    Console.Error.WriteLine($"error: {ex.Message}");
    return 1;
}
catch (OperationCanceledException) when (cts.IsCancellationRequested)
{
    Console.Error.WriteLine("cancelled");
    return 130;
}

// Re-runs this harness under `taskset -c <harness core>`, so that every thread of the load generator stays off the
// server's core (setting affinity from inside .NET would only move the calling thread on Linux).
static async Task<int> RunPinnedAsync(CpuPlan plan, int harnessCore, string[] args, CancellationToken cancellationToken)
{
    var (file, arguments) = SelfCommand.For(args);
    var info = new ProcessStartInfo("taskset") { UseShellExecute = false };
    info.ArgumentList.Add("-c");
    info.ArgumentList.Add(harnessCore.ToString(CultureInfo.InvariantCulture));
    info.ArgumentList.Add(file);
    foreach (var a in arguments)
    {
        info.ArgumentList.Add(a);
    }
    info.Environment[CpuPlan.PinnedEnvironmentVariable] = $"{plan.ServerCore},{harnessCore}";
    using var child = Process.Start(info) ?? throw new BenchFailure("could not start taskset");
    try
    {
        await child.WaitForExitAsync(cancellationToken);
    }
    catch (OperationCanceledException)
    {
        // Ctrl+C reached the child too (same process group); let it clean up its own processes.
        await child.WaitForExitAsync(CancellationToken.None);
    }
    return child.ExitCode;
}
