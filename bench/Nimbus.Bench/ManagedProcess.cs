using System.Diagnostics;
using System.Text;

namespace Nimbus.Bench;

/// <summary>A child process the harness started: output kept (the tail) for error messages, killed on dispose.</summary>
public sealed class ManagedProcess : IAsyncDisposable
{
    private const int TailLines = 40;
    private readonly Process _process;
    private readonly Queue<string> _tail = new();
    private readonly TaskCompletionSource<string> _firstStdoutLine = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ManagedProcess(Process process)
    {
        _process = process;
    }

    // Resolved here because a replayed worker environment may carry a PATH without it.
    private static readonly string TasksetPath =
        new[] { "/usr/bin/taskset", "/bin/taskset" }.FirstOrDefault(File.Exists) ?? "taskset";

    public int Id => _process.Id;
    public bool HasExited => _process.HasExited;
    public int ExitCode => _process.ExitCode;
    public string CommandLine { get; private init; } = "";
    public Task<string> FirstStdoutLine => _firstStdoutLine.Task;

    /// <summary>Starts <paramref name="fileName"/>, pinned to <paramref name="core"/> with taskset when one is given.</summary>
    public static ManagedProcess Start(
        string fileName,
        IEnumerable<string> arguments,
        int? core,
        string? workingDirectory = null,
        IReadOnlyDictionary<string, string>? environment = null,
        bool replaceEnvironment = false,
        bool redirectStdin = false)
    {
        var args = arguments.ToList();
        var info = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = redirectStdin,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        if (core is { } c)
        {
            info.FileName = TasksetPath;
            info.ArgumentList.Add("-c");
            info.ArgumentList.Add(c.ToString(System.Globalization.CultureInfo.InvariantCulture));
            info.ArgumentList.Add(fileName);
        }
        else
        {
            info.FileName = fileName;
        }
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }
        if (environment is not null)
        {
            if (replaceEnvironment)
            {
                info.Environment.Clear();
            }
            foreach (var (key, value) in environment)
            {
                info.Environment[key] = value;
            }
        }
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var managed = new ManagedProcess(process)
        {
            CommandLine = string.Join(' ', new[] { info.FileName }.Concat(info.ArgumentList).Select(Quote)),
        };
        process.OutputDataReceived += (_, e) => managed.OnLine(e.Data, stdout: true);
        process.ErrorDataReceived += (_, e) => managed.OnLine(e.Data, stdout: false);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return managed;
    }

    public static string Quote(string arg) =>
        arg.Length > 0 && arg.All(ch => char.IsLetterOrDigit(ch) || "-_./:=,@+".Contains(ch)) ? arg : $"'{arg.Replace("'", "'\\''")}'";

    public string OutputTail()
    {
        lock (_tail)
        {
            return string.Join('\n', _tail);
        }
    }

    public Task WaitForExitAsync(CancellationToken cancellationToken) => _process.WaitForExitAsync(cancellationToken);

    public void CloseStdin() => _process.StandardInput.Close();

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                // A polite stop first, so that a server stops its own children: the servers we own exit when
                // stdin closes; anything else gets SIGTERM (what Ctrl+C or systemd would send).
                if (_process.StartInfo.RedirectStandardInput)
                {
                    CloseStdin();
                }
                else
                {
                    await RunToEndAsync("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)], null, CancellationToken.None);
                }
                using (var polite = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
                {
                    try
                    {
                        await _process.WaitForExitAsync(polite.Token);
                    }
                    catch (OperationCanceledException)
                    {
                    }
                }
                if (!_process.HasExited)
                {
                    _process.Kill(entireProcessTree: true);
                    using var hard = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                    await _process.WaitForExitAsync(hard.Token);
                }
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        catch (OperationCanceledException)
        {
        }
        _process.Dispose();
    }

    private void OnLine(string? line, bool stdout)
    {
        if (line is null)
        {
            return;
        }
        if (stdout)
        {
            _firstStdoutLine.TrySetResult(line);
        }
        lock (_tail)
        {
            _tail.Enqueue(line);
            while (_tail.Count > TailLines)
            {
                _tail.Dequeue();
            }
        }
    }

    /// <summary>Runs a short command to completion and returns its exit code and combined output.</summary>
    public static async Task<(int ExitCode, string Output)> RunToEndAsync(
        string fileName, IEnumerable<string> arguments, string? workingDirectory, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var a in arguments)
        {
            info.ArgumentList.Add(a);
        }
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        var output = new StringBuilder();
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        output.Append(await stdout).Append(await stderr);
        return (process.ExitCode, output.ToString());
    }
}
