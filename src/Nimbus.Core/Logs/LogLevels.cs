namespace Nimbus.Core.Logs;

/// <summary>The log levels Nimbus stores, and the mapping from the names and numbers that logging libraries use.</summary>
public static class LogLevels
{
    public const string Trace = "TRACE";
    public const string Debug = "DEBUG";
    public const string Info = "INFO";
    public const string Warn = "WARN";
    public const string Error = "ERROR";
    public const string Fatal = "FATAL";

    /// <summary>
    /// Maps a level name (any case) to one of the stored levels: Python's WARNING and CRITICAL, .NET's Information,
    /// trce/dbug/fail/crit and syslog's names included. Null when the name is not a level.
    /// </summary>
    public static string? Normalize(ReadOnlySpan<char> name)
    {
        Span<char> upper = stackalloc char[16];
        if (name.IsEmpty || name.Length > upper.Length)
        {
            return null;
        }

        name.ToUpperInvariant(upper);
        return upper[..name.Length] switch
        {
            "TRACE" or "TRCE" or "VERBOSE" => Trace,
            "DEBUG" or "DBUG" => Debug,
            "INFO" or "INFORMATION" or "INFORMATIONAL" or "NOTICE" => Info,
            "WARN" or "WARNING" => Warn,
            "ERROR" or "ERR" or "FAIL" => Error,
            "FATAL" or "CRITICAL" or "CRIT" or "ALERT" or "EMERGENCY" or "EMERG" or "PANIC" => Fatal,
            _ => null,
        };
    }

    /// <summary>Maps pino/bunyan numeric levels (10 trace … 60 fatal) to a stored level.</summary>
    public static string FromNumber(double value) => value switch
    {
        < 20 => Trace,
        < 30 => Debug,
        < 40 => Info,
        < 50 => Warn,
        < 60 => Error,
        _ => Fatal,
    };
}
