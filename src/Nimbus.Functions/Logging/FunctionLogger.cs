namespace Nimbus.Functions.Logging;

/// <summary>The logger handed to one invocation: every record carries its request id.</summary>
internal sealed class FunctionLogger(JsonLogWriter writer, string? requestId) : IFunctionLogger
{
    public void Debug(string message, object? fields = null) => writer.Write(FunctionLogLevel.Debug, requestId, message, fields);

    public void Info(string message, object? fields = null) => writer.Write(FunctionLogLevel.Info, requestId, message, fields);

    public void Warn(string message, object? fields = null) => writer.Write(FunctionLogLevel.Warn, requestId, message, fields);

    public void Error(string message, object? fields = null) => writer.Write(FunctionLogLevel.Error, requestId, message, fields);
}
