using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Nimbus.Server.Gateway;

/// <summary>
/// Makes routing follow the store, whoever wrote it: every <see cref="Interval"/> it reads the store's control-plane
/// generation (one single-row read) and reloads routing when it moved. Local writes do not wait for it; they reload
/// at once. This is what lets a second <c>nimbus up</c> on the same store serve what the first one deployed.
/// </summary>
public sealed partial class RoutingReconciler : BackgroundService
{
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(1);

    private readonly RoutingState _routing;
    private readonly ILogger<RoutingReconciler> _logger;
    private readonly PeriodicTimer _timer;

    public RoutingReconciler(RoutingState routing, TimeProvider timeProvider, ILogger<RoutingReconciler> logger, TimeSpan? interval = null)
    {
        _routing = routing;
        _logger = logger;
        Interval = interval ?? DefaultInterval;
        // Created here, not in ExecuteAsync, so that the first tick is due one interval after construction whatever
        // thread the host starts ExecuteAsync on (a test advancing fake time relies on it).
        _timer = new PeriodicTimer(Interval, timeProvider);
    }

    public TimeSpan Interval { get; }

    /// <summary>Raised after each poll, with whether it reloaded (for tests and diagnostics).</summary>
    public event Action<bool>? Polled;

    public override void Dispose()
    {
        _timer.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await _timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                var reloaded = false;
                try
                {
                    reloaded = await _routing.RefreshIfChangedAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // A busy or briefly unreadable store must not stop the loop; the next tick tries again.
                    Log.PollFailed(_logger, ex);
                }

                Polled?.Invoke(reloaded);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private static partial class Log
    {
        [LoggerMessage(7010, LogLevel.Warning, "Could not check the store for routing changes; retrying on the next tick")]
        public static partial void PollFailed(ILogger logger, Exception exception);
    }
}
