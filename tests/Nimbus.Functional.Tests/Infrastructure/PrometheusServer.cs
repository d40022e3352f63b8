using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace Nimbus.Functional.Tests.Infrastructure;

/// <summary>
/// A real Prometheus (Debian package <c>prometheus</c>) scraping one target every second, with its storage in a
/// temp folder, answering on a free port.
/// </summary>
public sealed class PrometheusServer : IAsyncDisposable
{
    public const string Binary = "/usr/bin/prometheus";

    private readonly Process _process;
    private readonly string _directory;

    private PrometheusServer(Process process, string directory, Uri address)
    {
        _process = process;
        _directory = directory;
        Client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(10) };
    }

    public HttpClient Client { get; }

    public static async Task<PrometheusServer> StartAsync(Uri target, string bearerToken)
    {
        if (!File.Exists(Binary))
        {
            throw new InvalidOperationException($"{Binary} is missing: install the Debian package 'prometheus' (apt-get install -y prometheus)");
        }

        var directory = Path.Combine(Path.GetTempPath(), "nimbus-prom-" + Guid.NewGuid().ToString("n")[..12]);
        Directory.CreateDirectory(directory);
        var config = Path.Combine(directory, "prometheus.yml");
        await File.WriteAllTextAsync(config,
            $"""
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
            scrape_configs:
              - job_name: nimbus
                metrics_path: /metrics
                authorization:
                  credentials: '{bearerToken}'
                static_configs:
                  - targets: ['{target.Authority}']
            """);
        var port = FreePort();
        var start = new ProcessStartInfo(Binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
                 {
                     "--config.file=" + config, "--storage.tsdb.path=" + Path.Combine(directory, "data"),
                     $"--web.listen-address=127.0.0.1:{port}", "--log.level=warn",
                 })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new PrometheusServer(process, directory, new Uri($"http://127.0.0.1:{port}"));
        var ready = await NimbusTestServer.EventuallyAsync(async () =>
        {
            try
            {
                return (await server.Client.GetAsync("/-/ready")).IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(30));
        if (!ready)
        {
            await server.DisposeAsync();
            throw new InvalidOperationException("prometheus did not become ready within 30 s");
        }

        return server;
    }

    /// <summary>Runs an instant PromQL query; the value of its single sample, or null when it has none.</summary>
    public async Task<double?> QueryScalarAsync(string promql)
    {
        var json = await Client.GetStringAsync("/api/v1/query?query=" + Uri.EscapeDataString(promql));
        using var document = JsonDocument.Parse(json);
        var result = document.RootElement.GetProperty("data").GetProperty("result");
        return result.GetArrayLength() == 0
            ? null
            : double.Parse(result[0].GetProperty("value")[1].GetString()!, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The health of the one scrape target ("up", "down", "unknown") and its last error.</summary>
    public async Task<string> TargetHealthAsync()
    {
        var json = await Client.GetStringAsync("/api/v1/targets");
        using var document = JsonDocument.Parse(json);
        var targets = document.RootElement.GetProperty("data").GetProperty("activeTargets");
        return targets.GetArrayLength() == 0 ? "none" : $"{targets[0].GetProperty("health").GetString()} {targets[0].GetProperty("lastError").GetString()}".Trim();
    }

    private static int FreePort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
