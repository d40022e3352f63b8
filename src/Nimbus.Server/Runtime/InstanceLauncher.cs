using System.ComponentModel;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Nimbus.Server.Hosting;
using Nimbus.Server.Packages;
using Nimbus.Server.Runtime.Linux;
using Nimbus.Server.Security.Secrets;
using Nimbus.Server.Telemetry;

namespace Nimbus.Server.Runtime;

/// <summary>Starts worker processes, pumps their output into the log pipeline, and reports their exit.</summary>
public sealed partial class InstanceLauncher : IInstanceLauncher
{
    private readonly PackageStore _packages;
    private readonly ProcessSpawner _spawner;
    private readonly TelemetrySink _telemetry;
    private readonly NimbusServerOptions _options;
    private readonly SecretEnvironment _secrets;
    private readonly string _runtimesDirectory;
    private readonly string? _hostPath = Environment.GetEnvironmentVariable("PATH");

    public InstanceLauncher(PackageStore packages, ProcessSpawner spawner, TelemetrySink telemetry, NimbusServerOptions options, SecretEnvironment secrets, ILogger<InstanceLauncher> logger)
    {
        if (!spawner.UsesPidNamespace)
        {
            // Once per platform: the launcher is a singleton.
            Log.NoPidNamespace(logger, spawner.PidNamespaceUnavailableReason ?? "unknown");
        }

        _packages = packages;
        _spawner = spawner;
        _telemetry = telemetry;
        _options = options;
        _secrets = secrets;
        _runtimesDirectory = options.RuntimesDirectory ?? Path.Combine(AppContext.BaseDirectory, "runtimes");
    }

    public async Task StartAsync(Instance instance, Action<Instance, int> onExited, CancellationToken cancellationToken)
    {
        string codeDirectory;
        try
        {
            codeDirectory = await _packages.GetCodeDirectoryAsync(instance.Target.CodeSha256, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or ArchiveRejectedException or InvalidDataException)
        {
            // The message reaches the caller: an I/O error's text names server paths, a rejected archive's does not.
            var reason = ex is ArchiveRejectedException ? ex.Message : "the server could not read or write it";
            throw new WorkerLaunchException($"the function's package could not be extracted: {reason}", ex);
        }

        var environment = await _secrets.ResolveAsync(instance, cancellationToken).ConfigureAwait(false);
        var startInfo = WorkerCommand.Build(instance.Target, codeDirectory, _runtimesDirectory, instance.Port, instance.Id,
            instance.Provisioned, _options.Region, _hostPath, environment, instance.SecretsToken);
        Process process;
        try
        {
            process = await _spawner.StartAsync(startInfo, cancellationToken).ConfigureAwait(false);
        }
        catch (Win32Exception ex)
        {
            // Win32Exception's own message names the executable's and the working directory's full paths, which are
            // the server's business; the caller gets the executable's name and the system's reason only.
            throw new WorkerLaunchException(
                $"could not start the worker '{Path.GetFileName(startInfo.FileName)}': {new Win32Exception(ex.NativeErrorCode).Message}", ex);
        }

        instance.AttachProcess(process);
        process.StandardInput.Close();
        var stdoutStream = process.StandardOutput.BaseStream;
        var stderrStream = process.StandardError.BaseStream;
        instance.Logs.AttachPipes(WorkerOutputPump.PipeOf(stdoutStream), WorkerOutputPump.PipeOf(stderrStream));
        var stdout = WorkerOutputPump.PumpAsync(stdoutStream, instance, line => OnLine(instance, "stdout", line));
        var stderr = WorkerOutputPump.PumpAsync(stderrStream, instance, line => OnLine(instance, "stderr", line));
        _ = WatchExitAsync(process, instance, onExited, stdout, stderr);
    }

    public void Kill(Instance instance)
    {
        if (instance.ProcessId > 0)
        {
            ProcessTree.Kill(instance.ProcessId);
        }
    }

    private void OnLine(Instance instance, string stream, string line)
    {
        line = instance.Redactor.Redact(line);
        instance.Logs.Remember(line);
        _telemetry.OutputLine(instance, stream, line);
    }

    private static async Task WatchExitAsync(Process process, Instance instance, Action<Instance, int> onExited, Task stdout, Task stderr)
    {
        await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        // Let the last lines reach the log before the exit is reported (bounded: a grandchild may hold the pipe).
        await Task.WhenAny(Task.WhenAll(stdout, stderr), Task.Delay(200)).ConfigureAwait(false);
        onExited(instance, process.ExitCode);
        process.Dispose();
    }
}
