using Microsoft.Extensions.Logging;

namespace Nimbus.Server.Runtime;

public sealed partial class Dispatcher
{
    private static partial class Log
    {
        [LoggerMessage(1001, LogLevel.Warning, "Init of {FunctionName}:{Version} failed: {ErrorType}: {ErrorMessage}")]
        public static partial void InitFailed(ILogger logger, string functionName, string version, string? errorType, string? errorMessage);

        [LoggerMessage(1002, LogLevel.Debug, "Stopping instance {InstanceId} of {FunctionName}:{Version} because {Reason}")]
        public static partial void StoppingInstance(ILogger logger, string instanceId, string functionName, string version, string reason);

        [LoggerMessage(1003, LogLevel.Warning, "Instance {InstanceId} (pid {ProcessId}) did not exit within 5 s of being killed")]
        public static partial void InstanceDidNotExit(ILogger logger, string instanceId, int processId);

        [LoggerMessage(1004, LogLevel.Error, "A cold start whose caller went away failed unexpectedly")]
        public static partial void AbandonedStartFailed(ILogger logger, Exception exception);
    }
}
