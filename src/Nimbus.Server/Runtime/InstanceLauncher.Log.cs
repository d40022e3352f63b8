using Microsoft.Extensions.Logging;

namespace Nimbus.Server.Runtime;

public sealed partial class InstanceLauncher
{
    private static partial class Log
    {
        [LoggerMessage(7001, LogLevel.Warning,
            "Workers run without a PID namespace ({Reason}): a process a worker forks can outlive its instance. Run nimbus up as root for per-instance namespaces")]
        public static partial void NoPidNamespace(ILogger logger, string reason);
    }
}
