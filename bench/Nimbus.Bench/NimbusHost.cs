using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Nimbus.Bench;

/// <summary>
/// The Nimbus under test: a <c>nimbus up</c> process the harness starts (pinned, with a throw-away data directory),
/// or one already running at a URL. Startup fails with the process's own output rather than hanging.
/// </summary>
public sealed class NimbusHost : IAsyncDisposable
{
    private readonly ManagedProcess? _process;
    private readonly string? _dataDirectory;
    private readonly Dictionary<int, DateTime> _workers = [];
    private int? _attachedPid;

    private NimbusHost(NimbusClient client, ManagedProcess? process, string? dataDirectory, string commandLine)
    {
        Client = client;
        _process = process;
        _dataDirectory = dataDirectory;
        CommandLine = commandLine;
    }

    public NimbusClient Client { get; }
    public string CommandLine { get; }

    /// <summary>The nimbus server's process id, when the harness started it (needed for its memory).</summary>
    public int? ProcessId => _process?.Id ?? _attachedPid;

    public static async Task<NimbusHost> StartAsync(string nimbusDll, int? core, TimeSpan startTimeout, CancellationToken cancellationToken, IEnumerable<string>? upArguments = null)
    {
        if (!File.Exists(nimbusDll))
        {
            throw new BenchFailure($"Nimbus is not built: {nimbusDll} does not exist (build src/Nimbus.Cli or pass --nimbus-dll).");
        }
        var port = FreePort();
        var dataDirectory = Path.Combine(Path.GetTempPath(), "nimbus-bench-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dataDirectory);
        var process = ManagedProcess.Start(
            "dotnet",
            [nimbusDll, "up", "--port", port.ToString(CultureInfo.InvariantCulture), "--data-dir", dataDirectory, .. upArguments ?? []],
            core,
            workingDirectory: dataDirectory);
        var client = new NimbusClient(new Uri($"http://127.0.0.1:{port}"));
        var host = new NimbusHost(client, process, dataDirectory, process.CommandLine);
        try
        {
            await host.WaitHealthyAsync(startTimeout, cancellationToken);
            BenchAuth.ReadFrom(dataDirectory);
            BenchAuth.Apply(client.Http);
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
        return host;
    }

    public static async Task<NimbusHost> AttachAsync(Uri url, int? pid, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var host = new NimbusHost(new NimbusClient(url), null, null, $"(already running at {url})") { _attachedPid = pid };
        await host.WaitHealthyAsync(timeout, cancellationToken);
        BenchAuth.ReadFrom(null);
        BenchAuth.Apply(host.Client.Http);
        return host;
    }

    /// <summary>Remembers a worker's pid so that a leftover worker can be stopped if the server leaves it behind.</summary>
    public void TrackWorker(int pid)
    {
        try
        {
            using var p = Process.GetProcessById(pid);
            // The start time tells a reused pid from our worker.
            _workers[pid] = p.StartTime;
        }
        catch (ArgumentException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (_process is not null)
        {
            await _process.DisposeAsync();
            // Workers are nimbus's children; after a clean shutdown none may be left. Stop any that were.
            foreach (var (pid, startTime) in _workers)
            {
                try
                {
                    using var p = Process.GetProcessById(pid);
                    if (!p.HasExited && p.StartTime == startTime)
                    {
                        Console.Error.WriteLine($"warning: worker {pid} outlived the nimbus server; stopping it");
                        p.Kill(entireProcessTree: true);
                    }
                }
                catch (ArgumentException)
                {
                    // Exited, as it should have.
                }
                catch (InvalidOperationException)
                {
                }
            }
        }
        if (_dataDirectory is not null)
        {
            try
            {
                Directory.Delete(_dataDirectory, recursive: true);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }

    private async Task WaitHealthyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(started) < timeout)
        {
            if (_process is { HasExited: true })
            {
                throw new BenchFailure(
                    $"nimbus exited with code {_process.ExitCode} before answering GET /api/v1/health.\n" +
                    $"command: {CommandLine}\nlast output:\n{Indent(_process.OutputTail())}");
            }
            if (await Client.IsHealthyAsync(cancellationToken))
            {
                return;
            }
            await Task.Delay(200, cancellationToken);
        }
        var tail = _process is null ? "" : $"\nlast output:\n{Indent(_process.OutputTail())}";
        throw new BenchFailure(
            $"Nimbus did not answer 200 on {Client.BaseAddress}api/v1/health within {timeout.TotalSeconds:0} s.\n" +
            $"command: {CommandLine}{tail}");
    }

    private static string Indent(string text) =>
        text.Length == 0 ? "  (no output)" : string.Join('\n', text.Split('\n').Select(l => "  " + l));

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
