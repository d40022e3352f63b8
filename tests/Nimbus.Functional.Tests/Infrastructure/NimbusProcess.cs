using System.Diagnostics;
using System.Globalization;

namespace Nimbus.Functional.Tests.Infrastructure;

/// <summary>A real `nimbus up` in a child process, for tests that signal or kill the platform itself.</summary>
public sealed class NimbusProcess : IDisposable
{
    private NimbusProcess(Process process, HttpClient client)
    {
        Process = process;
        Client = client;
        Remote = new RemoteNimbus(client);
    }

    public Process Process { get; }
    public HttpClient Client { get; }
    public RemoteNimbus Remote { get; }
    public string DataDirectory { get; private init; } = "";

    /// <summary>
    /// Starts `dotnet nimbus.dll up` on a free port with its own data folder (or <paramref name="dataDirectory"/>, to
    /// restart on the state a killed one left) and waits until it answers health.
    /// </summary>
    public static async Task<NimbusProcess> StartAsync(string? dataDirectory = null)
    {
        var cli = Path.Combine(AppContext.BaseDirectory, "nimbus.dll");
        dataDirectory ??= Path.Combine(Path.GetTempPath(), "nimbus-proc-" + Guid.NewGuid().ToString("n")[..8]);
        var port = FreePort();
        var process = Process.Start(new ProcessStartInfo("dotnet")
        {
            ArgumentList = { cli, "up", "--port", port.ToString(CultureInfo.InvariantCulture), "--data-dir", dataDirectory },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var started = new NimbusProcess(process, new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") }) { DataDirectory = dataDirectory };
        var healthy = await NimbusTestServer.EventuallyAsync(async () =>
        {
            try
            {
                return (await started.Client.GetAsync("/api/v1/health")).IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(30));
        if (!healthy)
        {
            started.Dispose();
            throw new InvalidOperationException("nimbus up did not answer /api/v1/health within 30 s");
        }

        var token = (await File.ReadAllTextAsync(Path.Combine(dataDirectory, "admin-token"))).Trim();
        started.Client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);

        return started;
    }

    public void Dispose()
    {
        Client.Dispose();
        if (!Process.HasExited)
        {
            Process.Kill(entireProcessTree: true);
        }

        Process.Dispose();
    }

    private static int FreePort()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
