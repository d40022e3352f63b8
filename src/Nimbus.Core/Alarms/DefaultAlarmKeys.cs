namespace Nimbus.Core.Alarms;

/// <summary>The manifest keys of the default alarms (<c>defaultAlarms:</c>), and the suffix each alarm's name gets.</summary>
public static class DefaultAlarmKeys
{
    public const string ErrorRate = "errorRate";
    public const string Throttles = "throttles";
    public const string Duration = "duration";
    public const string InitFailures = "initFailures";
    public const string DeadLettered = "deadLettered";
    public const string AsyncEventAge = "asyncEventAge";
    public const string Concurrency = "concurrency";

    public static readonly IReadOnlyList<string> All =
        [ErrorRate, Throttles, Duration, InitFailures, DeadLettered, AsyncEventAge, Concurrency];

    /// <summary>The alarm's name for a function: <c>checkout-error-rate</c>.</summary>
    public static string AlarmName(string function, string key) => key switch
    {
        ErrorRate => $"{function}-error-rate",
        InitFailures => $"{function}-init-failures",
        DeadLettered => $"{function}-dead-lettered",
        AsyncEventAge => $"{function}-async-event-age",
        _ => $"{function}-{key}",
    };
}
