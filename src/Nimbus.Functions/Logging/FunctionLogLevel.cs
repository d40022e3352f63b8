namespace Nimbus.Functions.Logging;

internal enum FunctionLogLevel
{
    Debug = 0,
    Info = 1,
    Warn = 2,
    Error = 3,
}
