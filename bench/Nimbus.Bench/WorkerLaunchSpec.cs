using System.Text;

namespace Nimbus.Bench;

/// <summary>
/// How to start a worker outside Nimbus: the executable, arguments, directory and environment. Preferably copied
/// from a worker Nimbus itself started (read from /proc), so the bare start runs exactly what the platform runs.
/// </summary>
public sealed record WorkerLaunchSpec(
    string Executable,
    IReadOnlyList<string> Arguments,
    string WorkingDirectory,
    IReadOnlyDictionary<string, string> Environment,
    string Source)
{
    public const string RuntimeApiVariable = "AWS_LAMBDA_RUNTIME_API";

    public string CommandLine => string.Join(' ', new[] { Executable }.Concat(Arguments).Select(ManagedProcess.Quote));

    /// <summary>Copies the launch of a running process; null when /proc does not show it (gone, or not ours to read).</summary>
    public static WorkerLaunchSpec? FromProcess(int pid)
    {
        try
        {
            var exe = new FileInfo($"/proc/{pid}/exe").LinkTarget;
            var cwd = new DirectoryInfo($"/proc/{pid}/cwd").LinkTarget;
            var cmdline = SplitNul(File.ReadAllBytes($"/proc/{pid}/cmdline"));
            var environ = SplitNul(File.ReadAllBytes($"/proc/{pid}/environ"));
            if (exe is null || cwd is null || cmdline.Count == 0)
            {
                return null;
            }
            var env = new Dictionary<string, string>();
            foreach (var pair in environ)
            {
                var eq = pair.IndexOf('=');
                if (eq > 0)
                {
                    env[pair[..eq]] = pair[(eq + 1)..];
                }
            }
            return new WorkerLaunchSpec(exe, cmdline.Skip(1).ToList(), cwd, env, $"replayed from Nimbus worker pid {pid} (/proc)");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The launch the runtime contract implies, used when no Nimbus worker could be observed.</summary>
    public static WorkerLaunchSpec Guess(FunctionPackage package, string functionName)
    {
        var env = new Dictionary<string, string>
        {
            ["PATH"] = System.Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin",
            ["HOME"] = System.Environment.GetEnvironmentVariable("HOME") ?? "/tmp",
            ["_HANDLER"] = package.Handler,
            ["AWS_LAMBDA_FUNCTION_NAME"] = functionName,
            ["AWS_LAMBDA_FUNCTION_VERSION"] = "$LATEST",
            ["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = "256",
            ["LAMBDA_TASK_ROOT"] = package.Directory,
        };
        if (System.Environment.GetEnvironmentVariable("DOTNET_ROOT") is { } root)
        {
            env["DOTNET_ROOT"] = root;
        }
        if (package.Runtime == "dotnet")
        {
            var dll = Path.Combine(package.Directory, package.Handler + ".dll");
            return new WorkerLaunchSpec("dotnet", [dll], package.Directory, env, "guessed (dotnet <handler>.dll): no Nimbus worker observed");
        }
        return new WorkerLaunchSpec(Path.Combine(package.Directory, "bootstrap"), [], package.Directory, env,
            "guessed (./bootstrap): no Nimbus worker observed");
    }

    public IReadOnlyDictionary<string, string> EnvironmentFor(string runtimeApi) =>
        new Dictionary<string, string>(Environment) { [RuntimeApiVariable] = runtimeApi };

    private static List<string> SplitNul(byte[] bytes) =>
        [.. Encoding.UTF8.GetString(bytes).Split('\0', StringSplitOptions.RemoveEmptyEntries)];
}
