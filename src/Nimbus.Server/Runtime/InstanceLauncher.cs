using System.ComponentModel;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Nimbus.Server.Hosting;
using Nimbus.Server.Packages;
using Nimbus.Server.Runtime.Linux;
using Nimbus.Server.Runtime.Sandbox;
using Nimbus.Server.Security.Secrets;
using Nimbus.Server.Security;
using Nimbus.Server.Telemetry;

namespace Nimbus.Server.Runtime;

/// <summary>Starts worker processes, pumps their output into the log pipeline, and reports their exit.</summary>
public sealed partial class InstanceLauncher : IInstanceLauncher
{
    private readonly PackageStore _packages;
    private readonly ProcessSpawner _spawner;
    private readonly WorkerSandbox _sandbox;
    private readonly TelemetrySink _telemetry;
    private readonly NimbusServerOptions _options;
    private readonly SecretEnvironment _secrets;
    private readonly string _runtimesDirectory;
    private readonly string? _hostPath = Environment.GetEnvironmentVariable("PATH");
    private readonly FunctionCredentials _credentials;
    private readonly ILogger _logger;
    private int _weightRefusalLogged;

    public InstanceLauncher(PackageStore packages, ProcessSpawner spawner, WorkerSandbox sandbox, TelemetrySink telemetry, NimbusServerOptions options,
        SecretEnvironment secrets, ILogger<InstanceLauncher> logger, FunctionCredentials credentials)
    {
        _credentials = credentials;
        _logger = logger;

        // A sandbox has its own PID namespace (bwrap's); only unsandboxed workers rely on the spawner's.
        if (!sandbox.IsEnabled && !spawner.UsesPidNamespace)
        {
            // Once per platform: the launcher is a singleton.
            Log.NoPidNamespace(logger, spawner.PidNamespaceUnavailableReason ?? "unknown");
        }

        _packages = packages;
        _spawner = spawner;
        _sandbox = sandbox;
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

        // The instance's own identity, as Lambda gives each execution environment: calls it signs are attributed to it.
        // Its session token is also what the secrets extension expects in X-Aws-Parameters-Secrets-Token.
        var credential = _credentials.Issue(instance.Target.FunctionName, instance.Id);
        instance.SecretsToken = credential.SessionToken;
        var startInfo = WorkerCommand.Build(instance.Target, codeDirectory, _runtimesDirectory, instance.Port, instance.Id,
            instance.Provisioned, _options.Region, _hostPath, environment, credential.SessionToken);
        startInfo.Environment["AWS_ACCESS_KEY_ID"] = credential.AccessKeyId;
        startInfo.Environment["AWS_SECRET_ACCESS_KEY"] = credential.SecretAccessKey;
        Process process;
        try
        {
            var launched = _sandbox.IsEnabled
                ? await _sandbox.PrepareAsync(instance, startInfo, codeDirectory, _runtimesDirectory, cancellationToken).ConfigureAwait(false)
                : startInfo;
            process = await _spawner.StartAsync(launched, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception) when (Revoke(instance))
        {
            throw;
        }
        catch (Win32Exception ex)
        {
            // Win32Exception's own message names the executable's and the working directory's full paths, which are
            // the server's business; the caller gets the executable's name and the system's reason only.
            throw new WorkerLaunchException(
                $"could not start the worker '{Path.GetFileName(startInfo.FileName)}': {new Win32Exception(ex.NativeErrorCode).Message}", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The sandbox's files (its uid store, passwd file, cgroup) could not be written; the details are the server's.
            _sandbox.Release(instance);
            throw new WorkerLaunchException("the server could not prepare the worker's sandbox", ex);
        }

        instance.AttachProcess(process);
        process.StandardInput.Close();
        var stdoutStream = process.StandardOutput.BaseStream;
        var stderrStream = process.StandardError.BaseStream;
        instance.Logs.AttachPipes(WorkerOutputPump.PipeOf(stdoutStream), WorkerOutputPump.PipeOf(stderrStream));
        var stdout = WorkerOutputPump.PumpAsync(stdoutStream, instance, line => OnLine(instance, "stdout", line));
        var stderr = WorkerOutputPump.PumpAsync(stderrStream, instance, line => OnLine(instance, "stderr", line));
        _ = WatchExitAsync(process, instance, (exited, code) =>
        {
            _credentials.Revoke(exited.Id);
            onExited(exited, code);
        }, stdout, stderr, _sandbox);
    }

    /// <summary>An exception filter that forgets the credentials of an instance that did not start; never catches.</summary>
    private bool Revoke(Instance instance)
    {
        _credentials.Revoke(instance.Id);
        return false;
    }

    public void Initialized(Instance instance)
    {
        if (instance.Slots <= 1 || instance.ProcessId <= 0 || !OperatingSystem.IsLinux())
        {
            return;
        }

        // One scheduling group per sandboxed worker: its N loops would share one process's CPU weight and wait behind
        // each other (docs/design/concurrency-per-instance.md, "CPU weight").
        var nice = Core.Instances.SchedulingWeight.NiceFor(instance.Slots);
        instance.SchedulingNice = Linux.Autogroup.TrySetNice(instance.ProcessId, nice);
        if (instance.SchedulingNice is null && Linux.Autogroup.Enabled && Interlocked.Exchange(ref _weightRefusalLogged, 1) == 0)
        {
            Log.SchedulingWeightNotSet(_logger, instance.Slots, nice); // once per platform: it holds for every instance
        }
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

    private static async Task WatchExitAsync(Process process, Instance instance, Action<Instance, int> onExited, Task stdout, Task stderr,
        WorkerSandbox sandbox)
    {
        await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        sandbox.Release(instance);
        // Let the last lines reach the log before the exit is reported (bounded: a grandchild may hold the pipe).
        await Task.WhenAny(Task.WhenAll(stdout, stderr), Task.Delay(200)).ConfigureAwait(false);
        onExited(instance, process.ExitCode);
        process.Dispose();
    }
}
