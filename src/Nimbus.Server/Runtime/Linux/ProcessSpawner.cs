using System.Collections.Concurrent;
using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace Nimbus.Server.Runtime.Linux;

/// <summary>
/// Starts worker processes from one dedicated, long-lived thread, wrapped in <c>setpriv --pdeathsig KILL</c> so that
/// they receive SIGKILL if the platform dies without stopping them, and (where the host allows it) each in a PID
/// namespace of its own, so that nothing a worker starts can outlive it.
/// </summary>
/// <remarks>
/// The kernel sends the parent-death signal when the <em>thread</em> that forked the child exits, not the process.
/// Starting from thread-pool threads would kill workers whenever the pool retires a thread; starting from one thread
/// that lives as long as this object ties the workers to it. Disposing the spawner therefore ends that thread and kills
/// every worker it started with the signal: dispose it only when the workers should go too.
/// <para>
/// In a PID namespace the command becomes
/// <c>setpriv --pdeathsig KILL -- unshare --pid --fork --kill-child --mount-proc -- /bin/sh -c '"$@"; exit $?' nimbus-init worker…</c>:
/// the shell is the namespace's init, the worker its child. When the init exits (the worker exited, or the init was
/// killed) the kernel kills every process left in the namespace, double-forked ones included. See
/// docs/design/worker-isolation.md.
/// </para>
/// </remarks>
public sealed class ProcessSpawner : IDisposable
{
    private const string SetprivPath = "/usr/bin/setpriv";
    private const string UnsharePath = "/usr/bin/unshare";
    private const string ShellPath = "/bin/sh";

    // The namespace's init: runs the worker in the foreground (default signal dispositions, unlike a background job),
    // reaps orphans while it waits (the shell waits for any child), and exits with the worker's status (128 + n for a
    // signal, as .NET reports a signalled process), so the instance's exit is the worker's.
    private const string InitScript = "\"$@\"; exit $?";
    private const string InitName = "nimbus-init";

    private static readonly string[] s_namespaceArguments = ["--pid", "--fork", "--kill-child", "--mount-proc", "--", ShellPath, "-c", InitScript, InitName];

    private readonly BlockingCollection<StartRequest> _requests = new();
    private readonly Thread _thread;
    private int _disposed;

    /// <param name="useParentDeathSignal">Wrap workers in setpriv with a parent-death signal (when setpriv exists).</param>
    /// <param name="usePidNamespace">Start each worker in a PID namespace of its own (when unshare works here: root).</param>
    public ProcessSpawner(bool useParentDeathSignal = true, bool usePidNamespace = true)
    {
        UsesParentDeathSignal = useParentDeathSignal && OperatingSystem.IsLinux() && File.Exists(SetprivPath);
        if (usePidNamespace)
        {
            PidNamespaceUnavailableReason = ProbePidNamespace();
            UsesPidNamespace = PidNamespaceUnavailableReason is null;
        }
        else
        {
            PidNamespaceUnavailableReason = "turned off";
        }

        _thread = new Thread(Run)
        {
            IsBackground = true,
            Name = "Nimbus process spawner",
        };
        _thread.Start();
    }

    /// <summary>True when started processes are wrapped in setpriv with a parent-death signal.</summary>
    public bool UsesParentDeathSignal { get; }

    /// <summary>
    /// True when every process starts in a PID namespace of its own. The returned process is then the namespace's outer
    /// process (unshare, in the host's namespace); the worker is its grandchild, and everything the worker starts stays a
    /// descendant of it until the namespace ends.
    /// </summary>
    public bool UsesPidNamespace { get; }

    /// <summary>Why <see cref="UsesPidNamespace"/> is false (null when it is true).</summary>
    public string? PidNamespaceUnavailableReason { get; }

    /// <summary>
    /// Starts the process on the spawner thread. The caller's <paramref name="startInfo"/> is not modified; the returned
    /// process's <see cref="Process.StartInfo"/> shows the wrappers used. Without a PID namespace the process id is the
    /// worker's own, since setpriv replaces itself with the worker; with one it is unshare's, and its exit status is the
    /// worker's.
    /// </summary>
    /// <exception cref="Win32Exception">The executable was not found or could not be started.</exception>
    public Task<Process> StartAsync(ProcessStartInfo startInfo, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(startInfo);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (startInfo.UseShellExecute)
        {
            throw new ArgumentException("UseShellExecute is not supported: workers are executed directly", nameof(startInfo));
        }

        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<Process>(cancellationToken);
        }

        var request = new StartRequest(startInfo, cancellationToken);
        try
        {
            _requests.Add(request, CancellationToken.None);
        }
        catch (InvalidOperationException)
        {
            throw new ObjectDisposedException(nameof(ProcessSpawner));
        }

        return request.Completion.Task;
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _requests.CompleteAdding();
        if (Thread.CurrentThread != _thread)
        {
            _thread.Join();
        }

        _requests.Dispose();
    }

    private void Run()
    {
        foreach (var request in _requests.GetConsumingEnumerable())
        {
            if (Volatile.Read(ref _disposed) != 0)
            {
                // Started now, it would be killed at once when this thread exits.
                request.Completion.TrySetException(new ObjectDisposedException(nameof(ProcessSpawner)));
                continue;
            }

            if (request.CancellationToken.IsCancellationRequested)
            {
                request.Completion.TrySetCanceled(request.CancellationToken);
                continue;
            }

            try
            {
                var startInfo = Wrap(request.StartInfo);
                var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"{startInfo.FileName} did not start");
                request.Completion.TrySetResult(process);
            }
            catch (Exception ex)
            {
                request.Completion.TrySetException(ex);
            }
        }
    }

    private ProcessStartInfo Wrap(ProcessStartInfo original)
    {
        var prefix = new List<string>();
        if (UsesParentDeathSignal)
        {
            prefix.AddRange([SetprivPath, "--pdeathsig", "KILL", "--"]);
        }

        if (UsesPidNamespace)
        {
            prefix.Add(UnsharePath);
            prefix.AddRange(s_namespaceArguments);
        }

        if (prefix.Count == 0)
        {
            return original;
        }

        // Resolve the executable here: if a wrapper had to, a missing program would show up as the wrapper exiting with
        // 127 instead of the Win32Exception callers get from Process.Start.
        var executable = ResolveExecutable(original);
        var wrapped = new ProcessStartInfo(prefix[0])
        {
            WorkingDirectory = original.WorkingDirectory,
            RedirectStandardInput = original.RedirectStandardInput,
            RedirectStandardOutput = original.RedirectStandardOutput,
            RedirectStandardError = original.RedirectStandardError,
            StandardInputEncoding = original.StandardInputEncoding,
            StandardOutputEncoding = original.StandardOutputEncoding,
            StandardErrorEncoding = original.StandardErrorEncoding,
            CreateNoWindow = original.CreateNoWindow,
            UseShellExecute = false,
        };
        if (!string.IsNullOrEmpty(original.UserName))
        {
            wrapped.UserName = original.UserName;
        }

        wrapped.Environment.Clear();
        foreach (var (key, value) in original.Environment)
        {
            wrapped.Environment[key] = value;
        }

        if (original.ArgumentList.Count == 0 && !string.IsNullOrEmpty(original.Arguments))
        {
            // A pre-quoted argument string stays a string: re-parsing it here could disagree with Process's own parser.
            wrapped.Arguments = string.Join(' ', prefix.Skip(1).Append(executable).Select(Quote)) + " " + original.Arguments;
            return wrapped;
        }

        foreach (var argument in prefix.Skip(1))
        {
            wrapped.ArgumentList.Add(argument);
        }

        wrapped.ArgumentList.Add(executable);
        foreach (var argument in original.ArgumentList)
        {
            wrapped.ArgumentList.Add(argument);
        }

        return wrapped;
    }

    /// <summary>Runs the namespace wrapper once with <c>true</c>: it needs unshare (util-linux 2.32+) and CAP_SYS_ADMIN.</summary>
    /// <returns>Null when it works, else why not.</returns>
    private static string? ProbePidNamespace()
    {
        if (!OperatingSystem.IsLinux())
        {
            return "not Linux";
        }

        if (!File.Exists(UnsharePath) || !File.Exists(ShellPath))
        {
            return $"{UnsharePath} or {ShellPath} is missing";
        }

        var probe = new ProcessStartInfo(UnsharePath) { RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in s_namespaceArguments)
        {
            probe.ArgumentList.Add(argument);
        }

        probe.ArgumentList.Add("true");
        try
        {
            using var process = Process.Start(probe)!;
            var error = process.StandardError.ReadToEnd();
            if (!process.WaitForExit(10_000))
            {
                process.Kill();
                return "unshare did not finish within 10 s";
            }

            return process.ExitCode == 0 ? null : $"unshare failed ({error.Trim()})";
        }
        catch (Win32Exception ex)
        {
            return $"unshare could not be started ({ex.Message})";
        }
    }

    private static string ResolveExecutable(ProcessStartInfo startInfo)
    {
        var fileName = startInfo.FileName;
        if (string.IsNullOrEmpty(fileName))
        {
            throw new InvalidOperationException("ProcessStartInfo.FileName is empty");
        }

        if (fileName.Contains('/'))
        {
            var full = Path.GetFullPath(fileName);
            return File.Exists(full) ? full : throw NotFound(fileName);
        }

        // The worker's own PATH when the caller set one, as execvp in the child would use.
        var searchPath = startInfo.Environment.TryGetValue("PATH", out var path) ? path : Environment.GetEnvironmentVariable("PATH");
        foreach (var directory in (searchPath ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Join(directory, fileName);
            if (File.Exists(candidate) && IsExecutable(candidate))
            {
                return candidate;
            }
        }

        throw NotFound(fileName);
    }

    private static bool IsExecutable(string path) =>
        OperatingSystem.IsWindows()
        || (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;

    private static Win32Exception NotFound(string fileName) =>
        new(2, $"An error occurred trying to start process '{fileName}': No such file or directory");

    /// <summary>Quotes one argument for Process's argument-string parser (backslashes double only before a quote).</summary>
    private static string Quote(string argument)
    {
        var builder = new StringBuilder("\"");
        var backslashes = 0;
        foreach (var c in argument)
        {
            if (c == '\\')
            {
                backslashes++;
                continue;
            }

            builder.Append('\\', c == '"' ? (backslashes * 2) + 1 : backslashes);
            backslashes = 0;
            builder.Append(c);
        }

        builder.Append('\\', backslashes * 2).Append('"');
        return builder.ToString();
    }

    private sealed record StartRequest(ProcessStartInfo StartInfo, CancellationToken CancellationToken)
    {
        public TaskCompletionSource<Process> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
