using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Nimbus.Server.Hosting;

// TEMPORARY (cli branch): a stand-in with the agreed signatures so `nimbus up` compiles and can be tried by hand.
// It serves only GET /api/v1/health. The lead's implementation replaces this file; delete it on merge.
public sealed partial class NimbusServer
{
    private WebApplication? _app;

    public static async Task<NimbusServer> StartAsync(NimbusServerOptions options, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://{options.ListenAddress}:{options.Port}");
        var app = builder.Build();
        app.MapGet("/api/v1/health", () => Results.Json(new { status = "ok" }));
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new NimbusServer { _app = app, BaseAddress = new Uri(address) };
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is not null)
        {
            await _app.StopAsync(cancellationToken);
        }

        _completion.TrySetResult();
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        _completion.TrySetResult();
    }
}
