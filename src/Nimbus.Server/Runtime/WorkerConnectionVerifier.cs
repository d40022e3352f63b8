using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;
using Nimbus.Server.Runtime.Linux;

namespace Nimbus.Server.Runtime;

/// <summary>
/// Kestrel connection middleware for runtime API ports: a connection is served only when the process that opened it
/// belongs to the process tree of the instance that owns the port, so no process can take another's invocations.
/// Checked once per connection (runtime clients keep their connection alive).
/// </summary>
public sealed partial class WorkerConnectionVerifier
{
    private readonly Dispatcher _dispatcher;
    private readonly ILogger<WorkerConnectionVerifier> _logger;

    public WorkerConnectionVerifier(Dispatcher dispatcher, ILogger<WorkerConnectionVerifier> logger)
    {
        _dispatcher = dispatcher;
        _logger = logger;
    }

    public async Task OnConnectionAsync(ConnectionContext connection, Func<Task> next)
    {
        if (connection.LocalEndPoint is not IPEndPoint local || connection.RemoteEndPoint is not IPEndPoint remote)
        {
            connection.Abort();
            return;
        }

        var instance = _dispatcher.GetInstanceByPort(local.Port);
        if (instance is null)
        {
            Log.Refused(_logger, local.Port, remote.ToString(), "no instance owns the port");
            connection.Abort();
            return;
        }

        try
        {
            await instance.ProcessStarted.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            connection.Abort();
            return;
        }

        if (!SocketOwner.IsOwnedByProcessTree(remote, local, instance.ProcessId))
        {
            Log.Refused(_logger, local.Port, remote.ToString(), $"the connecting process is not part of instance {instance.Id} (pid {instance.ProcessId})");
            connection.Abort();
            return;
        }

        await next().ConfigureAwait(false);
    }

    private static partial class Log
    {
        [LoggerMessage(3001, LogLevel.Warning, "Refused a connection to runtime port {Port} from {Remote}: {Reason}")]
        public static partial void Refused(ILogger logger, int port, string remote, string reason);
    }
}
