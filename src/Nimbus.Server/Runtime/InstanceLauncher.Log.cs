using Microsoft.Extensions.Logging;

namespace Nimbus.Server.Runtime;

public sealed partial class InstanceLauncher
{
    private static partial class Log
    {
        [LoggerMessage(7001, LogLevel.Warning,
            "Workers run without a PID namespace ({Reason}): a process a worker forks can outlive its instance. Run nimbus up as root for per-instance namespaces")]
        public static partial void NoPidNamespace(ILogger logger, string reason);

        [LoggerMessage(7002, LogLevel.Information,
            "A worker with {Slots} slots keeps one process's CPU weight (nice {Nice} for its session was refused: raising a weight takes CAP_SYS_NICE); at saturation its invocations queue for the CPU behind each other")]
        public static partial void SchedulingWeightNotSet(ILogger logger, int slots, int nice);
    }
}
