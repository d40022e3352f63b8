using Microsoft.Extensions.Hosting;
using Nimbus.Server.Runtime;

namespace Nimbus.Server.Hosting;

/// <summary>
/// Runs first when the host stops (it is registered last): refuses new invocations, lets in-flight ones finish up to
/// the shutdown timeout, then stops every worker, before Kestrel stops and the telemetry writer flushes.
/// </summary>
public sealed class ShutdownCoordinator : IHostedService
{
    private readonly Dispatcher _dispatcher;
    private readonly NimbusServerOptions _options;

    public ShutdownCoordinator(Dispatcher dispatcher, NimbusServerOptions options)
    {
        _dispatcher = dispatcher;
        _options = options;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => _dispatcher.ShutdownAsync(_options.ShutdownTimeout, cancellationToken);
}
