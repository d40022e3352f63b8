using System.Globalization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Nimbus.Core.Deployments.Shadow;
using Nimbus.Core.Invocations;
using Nimbus.Server.Invocations;

namespace Nimbus.Server.Deployments.Shadow;

/// <summary>
/// Runs the queued shadow copies on the new version, at most <see cref="Concurrency"/> at a time, through the
/// <see cref="Invoker"/> (source Shadow, by version number, so the alias's own metrics and alarms never see them),
/// and records how each compared with the live call. A shadow execution is marked in the <see cref="ShadowCallGuard"/>
/// while it runs, so its calls through Nimbus are suppressed. Its result goes nowhere but the report: no destinations,
/// no retries.
/// </summary>
public sealed partial class ShadowRunner : BackgroundService
{
    public const int Concurrency = 2;

    private readonly ShadowQueue _queue;
    private readonly Invoker _invoker;
    private readonly ShadowReports _reports;
    private readonly ShadowCallGuard _guard;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public ShadowRunner(ShadowQueue queue, Invoker invoker, ShadowReports reports, ShadowCallGuard guard, TimeProvider time, ILogger<ShadowRunner> logger)
    {
        _queue = queue;
        _invoker = invoker;
        _reports = reports;
        _guard = guard;
        _time = time;
        _logger = logger;
    }

    /// <summary>Runs one copy and records it.</summary>
    public async Task RunAsync(ShadowCopy copy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(copy);
        var tally = _reports.For(copy.Route.DeploymentId);
        var requestId = RequestIds.New();
        _guard.Begin(requestId, copy.Route.DeploymentId);
        try
        {
            var started = _time.GetTimestamp();
            var answer = await _invoker.InvokeAsync(new InvocationCall
            {
                FunctionName = copy.FunctionName,
                Qualifier = copy.Route.ToVersion.ToString(CultureInfo.InvariantCulture),
                Payload = copy.Payload,
                Source = InvocationSource.Shadow,
                RequestId = requestId,
                ClientContext = copy.ClientContext,
            }, cancellationToken).ConfigureAwait(false);
            if (answer.Result is { } result)
            {
                var shadow = new ShadowOutcome(result.Outcome, result.ErrorType, result.Body, _time.GetElapsedTime(started).TotalMilliseconds);
                var comparison = tally.Record(copy.LiveRequestId, copy.Live, shadow);
                if (comparison.Difference != ShadowDifference.Same)
                {
                    Log.Differed(_logger, copy.Route.DeploymentId, copy.LiveRequestId, requestId, comparison.Difference);
                }
            }
            else
            {
                tally.Dropped();
                Log.NotRun(_logger, copy.Route.DeploymentId, copy.LiveRequestId, answer.Detail);
            }
        }
        finally
        {
            _guard.End(requestId);
        }
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, Concurrency).Select(_ => Task.Run(() => WorkAsync(stoppingToken), stoppingToken)));

    private async Task WorkAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var copy in _queue.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await RunAsync(copy, stoppingToken).ConfigureAwait(false);
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    _reports.For(copy.Route.DeploymentId).Dropped();
                    Log.Failed(_logger, copy.Route.DeploymentId, copy.LiveRequestId, exception);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutdown: queued copies are dropped; the live calls they copy were answered long ago.
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 4201, Level = LogLevel.Information,
            Message = "Shadow deployment {DeploymentId}: copy {ShadowRequestId} of {RequestId} differed: {Difference}")]
        public static partial void Differed(ILogger logger, string deploymentId, string requestId, string shadowRequestId, ShadowDifference difference);

        [LoggerMessage(EventId = 4202, Level = LogLevel.Warning,
            Message = "Shadow deployment {DeploymentId}: the copy of {RequestId} was not run: {Detail}")]
        public static partial void NotRun(ILogger logger, string deploymentId, string requestId, string detail);

        [LoggerMessage(EventId = 4203, Level = LogLevel.Error, Message = "Shadow deployment {DeploymentId}: the copy of {RequestId} failed")]
        public static partial void Failed(ILogger logger, string deploymentId, string requestId, Exception exception);
    }
}
