using Microsoft.Extensions.Hosting;
using Nimbus.Server.Runtime;

namespace Nimbus.Server.Hosting;

/// <summary>
/// Drains the platform when the host begins to stop, before any hosted service (Kestrel among them) stops: refuses new
/// invocations, lets in-flight ones finish up to the shutdown timeout, then stops every worker. Kestrel would otherwise
/// wait out its own timeout on the workers' open <c>invocation/next</c> long polls.
/// </summary>
public sealed class ShutdownCoordinator : IHostedLifecycleService
{
    private readonly Dispatcher _dispatcher;
    private readonly NimbusServerOptions _options;

    public ShutdownCoordinator(Dispatcher dispatcher, NimbusServerOptions options)
    {
        _dispatcher = dispatcher;
        _options = options;
    }

    public Task StoppingAsync(CancellationToken cancellationToken) => _dispatcher.ShutdownAsync(_options.ShutdownTimeout, cancellationToken);

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
