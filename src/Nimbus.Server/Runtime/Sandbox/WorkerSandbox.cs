using System.Collections.Concurrent;
using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using Nimbus.Core.Sandbox;

namespace Nimbus.Server.Runtime.Sandbox;

/// <summary>
/// Puts each worker in a bubblewrap sandbox of its own, as its function's own unprivileged user (see
/// docs/design/sandbox.md). Decided once at start by <see cref="SandboxPolicy"/>; everything here runs at launch, never
/// on the invoke path.
/// </summary>
public sealed class WorkerSandbox : IDisposable
{
    private const string BubblewrapPath = "/usr/bin/bwrap";
    private const long Mb = 1024 * 1024;

    // Kernel ceiling above the function's memory: /tmp is a tmpfs whose pages the kernel charges to the instance's
    // cgroup, and the sandbox's own processes need a little. The function's memory itself is held by the watchdog.
    private const long CgroupSlackMb = 32;

    private readonly IReadOnlyList<SandboxMount> _layout;
    private readonly FunctionUserStore _users;
    private readonly RuntimeLocator _runtimes;
    private readonly MemoryCgroup? _cgroup;
    private readonly string _usersDirectory;
    private readonly ConcurrentDictionary<int, FunctionUserFiles> _userFiles = new();

    private WorkerSandbox(SandboxVerdict verdict, IReadOnlyList<SandboxMount> layout, string dataDirectory, MemoryCgroup? cgroup, string? hostPath)
    {
        Verdict = verdict;
        _layout = layout;
        _cgroup = cgroup;
        _users = new FunctionUserStore(Path.Join(dataDirectory, "sandbox.db"));
        _runtimes = new RuntimeLocator(hostPath);
        _usersDirectory = Path.Join(dataDirectory, "sandbox", "users");
    }

    public SandboxVerdict Verdict { get; }

    public bool IsEnabled => Verdict.Mode == SandboxMode.Bubblewrap;

    /// <summary>Finds out what the host allows and decides; a refusal is the caller's to report (the platform must not start).</summary>
    public static WorkerSandbox Create(string dataDirectory, bool unsandboxedRequested, string? hostPath, IReadOnlyList<string>? sharedDirectories = null)
    {
        var sandbox = CreateCore(dataDirectory, unsandboxedRequested, hostPath);
        sandbox._sharedDirectories = sharedDirectories ?? [];
        return sandbox;
    }

    private IReadOnlyList<string> _sharedDirectories = [];

    private static WorkerSandbox CreateCore(string dataDirectory, bool unsandboxedRequested, string? hostPath)
    {
        if (unsandboxedRequested)
        {
            return new WorkerSandbox(SandboxPolicy.Decide(new SandboxHostFacts(OperatingSystem.IsLinux(), false, null, null, null), true),
                [], dataDirectory, null, hostPath);
        }

        var isLinux = OperatingSystem.IsLinux();
        var isRoot = isLinux && Environment.IsPrivilegedProcess;
        var bwrap = isLinux && File.Exists(BubblewrapPath) ? BubblewrapPath : null;
        var layout = isLinux ? SandboxLayout.Discover() : [];
        var probeError = bwrap is not null && isRoot ? Probe(layout) : null;
        string? cgroupError = null;
        var cgroup = bwrap is not null && isRoot && probeError is null ? MemoryCgroup.TryCreate(out cgroupError) : null;
        var verdict = SandboxPolicy.Decide(new SandboxHostFacts(isLinux, isRoot, bwrap, probeError, cgroup is null ? cgroupError ?? "no sandbox" : null), false);
        return new WorkerSandbox(verdict, layout, dataDirectory, cgroup, hostPath);
    }

    /// <summary>
    /// The command that starts <paramref name="worker"/> (built with host paths by <see cref="WorkerCommand"/>) inside the
    /// instance's sandbox: code at /var/task, runtime clients at /var/runtime, as the function's user.
    /// </summary>
    /// <exception cref="Win32Exception">The worker's executable is missing or not executable (as Process.Start reports it).</exception>
    public async Task<ProcessStartInfo> PrepareAsync(Instance instance, ProcessStartInfo worker, string codeDirectory, string runtimesDirectory,
        CancellationToken cancellationToken)
    {
        var config = instance.Target.Config;
        var uid = await _users.GetUidAsync(config.Name, cancellationToken).ConfigureAwait(false);
        var mounts = new List<SandboxMount>(_layout);
        string executable;
        string? interpreterDirectory = null;
        if (worker.FileName.Contains('/'))
        {
            RequireExecutable(worker.FileName);
            executable = BubblewrapArguments.Translate(worker.FileName, codeDirectory, runtimesDirectory);
        }
        else
        {
            var located = _runtimes.Locate(worker.FileName)
                ?? throw new Win32Exception(2, $"An error occurred trying to start process '{worker.FileName}': No such file or directory");
            executable = located.Executable;
            if (located.ExtraMount is { } extra)
            {
                mounts.Add(SandboxMount.ReadOnly(extra));
                interpreterDirectory = Path.GetDirectoryName(executable);
            }
        }

        var command = new List<string> { executable };
        command.AddRange(worker.ArgumentList.Select(a => BubblewrapArguments.Translate(a, codeDirectory, runtimesDirectory)));
        var launch = new SandboxLaunch(mounts, codeDirectory, runtimesDirectory, UserFiles(uid), uid, (long)config.EffectiveEphemeralStorageMb * Mb, command,
            _sharedDirectories);
        var arguments = BubblewrapArguments.Build(launch);

        var sandboxed = new ProcessStartInfo
        {
            WorkingDirectory = codeDirectory,
            UseShellExecute = false,
            RedirectStandardInput = worker.RedirectStandardInput,
            RedirectStandardOutput = worker.RedirectStandardOutput,
            RedirectStandardError = worker.RedirectStandardError,
        };
        if (_cgroup is not null)
        {
            var procs = _cgroup.CreateInstance(instance.Id, ((long)config.MemoryMb + config.EffectiveEphemeralStorageMb + CgroupSlackMb) * Mb);
            // Join the cgroup first, then become bwrap: everything the worker starts is born inside it.
            sandboxed.FileName = "/bin/sh";
            foreach (var argument in (string[])["-c", "echo $$ > \"$0\" && exec \"$@\"", procs, BubblewrapPath])
            {
                sandboxed.ArgumentList.Add(argument);
            }
        }
        else
        {
            sandboxed.FileName = BubblewrapPath;
        }

        foreach (var argument in arguments)
        {
            sandboxed.ArgumentList.Add(argument);
        }

        sandboxed.Environment.Clear();
        foreach (var (key, value) in worker.Environment)
        {
            sandboxed.Environment[key] = value is null ? null : BubblewrapArguments.Translate(value, codeDirectory, runtimesDirectory);
        }

        if (interpreterDirectory is not null)
        {
            sandboxed.Environment["PATH"] = interpreterDirectory + ":" + sandboxed.Environment["PATH"];
        }

        return sandboxed;
    }

    /// <summary>After the instance's processes are gone: removes its cgroup.</summary>
    public void Release(Instance instance) => _cgroup?.DeleteInstance(instance.Id);

    public void Dispose() => _cgroup?.Dispose();

    private FunctionUserFiles UserFiles(int uid) => _userFiles.GetOrAdd(uid, id =>
    {
        Directory.CreateDirectory(_usersDirectory);
        var name = string.Create(CultureInfo.InvariantCulture, $"sbx_user{id}");
        var files = new FunctionUserFiles(Path.Join(_usersDirectory, $"{id}.passwd"), Path.Join(_usersDirectory, $"{id}.group"));
        File.WriteAllText(files.Passwd, string.Create(CultureInfo.InvariantCulture,
            $"root:x:0:0:root:/root:/usr/sbin/nologin\n{name}:x:{id}:{id}::/tmp:/usr/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n"));
        File.WriteAllText(files.Group, string.Create(CultureInfo.InvariantCulture, $"root:x:0:\n{name}:x:{id}:\nnogroup:x:65534:\n"));
        return files;
    });

    private static void RequireExecutable(string path)
    {
        if (!File.Exists(path))
        {
            throw new Win32Exception(2, $"An error occurred trying to start process '{path}': No such file or directory");
        }

        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) == 0)
        {
            throw new Win32Exception(13, $"An error occurred trying to start process '{path}': Permission denied");
        }
    }

    /// <summary>Runs <c>true</c> in a sandbox like a worker's; null when that works, else what bwrap said.</summary>
    private static string? Probe(IReadOnlyList<SandboxMount> layout)
    {
        var trueProgram = File.Exists("/usr/bin/true") ? "/usr/bin/true" : "/bin/true";
        var launch = new SandboxLaunch(layout, "/usr/bin", "/usr/bin", new FunctionUserFiles("/dev/null", "/dev/null"),
            FunctionUserRange.First, Mb, [trueProgram]);
        var startInfo = new ProcessStartInfo(BubblewrapPath) { RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in BubblewrapArguments.Build(launch))
        {
            startInfo.ArgumentList.Add(argument);
        }

        try
        {
            using var process = Process.Start(startInfo)!;
            var error = process.StandardError.ReadToEnd().Trim();
            if (!process.WaitForExit(10_000))
            {
                process.Kill();
                return "bwrap did not finish within 10 s";
            }

            return process.ExitCode == 0 ? null : $"bwrap exited with {process.ExitCode}: {error}";
        }
        catch (Win32Exception ex)
        {
            return $"bwrap could not be started ({ex.Message})";
        }
    }
}
