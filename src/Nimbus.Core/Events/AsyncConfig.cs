using System.Text.Json.Serialization;

namespace Nimbus.Core.Events;

/// <summary>
/// A function's asynchronous invocation settings (<c>async:</c> in the manifest). Immutable; null members take the
/// Lambda defaults, so a function that declares nothing behaves as on Lambda.
/// </summary>
public sealed record AsyncConfig
{
    public const int DefaultMaximumRetryAttempts = 2;
    public const int DefaultMaximumEventAgeInSeconds = 21_600;
    public const int DefaultMaximumQueueDepth = 100_000;

    /// <summary>Lambda waits 1 minute before the first retry and 2 minutes before the second.</summary>
    public static readonly IReadOnlyList<double> DefaultRetryDelaysSeconds = [60, 120];

    /// <summary>The settings of a function that declares none.</summary>
    public static readonly AsyncConfig Default = new();

    /// <summary>Retries after the first failed attempt, 0-2.</summary>
    public int? MaximumRetryAttempts { get; init; }

    /// <summary>How long an event may wait, from acceptance, before it goes to the failure path (60-21,600 s).</summary>
    public int? MaximumEventAgeInSeconds { get; init; }

    /// <summary>Delay before retry 1, 2, ...; the last one repeats. Null is Lambda's 60 s, 120 s.</summary>
    public IReadOnlyList<double>? RetryDelaysSeconds { get; init; }

    /// <summary>Where a success record goes: <c>function:NAME</c> or <c>webhook:URL</c>; null sends none.</summary>
    public string? OnSuccess { get; init; }

    /// <summary>Where a failed event goes: <c>dlq</c> (the default), <c>function:NAME</c> or <c>webhook:URL</c>.</summary>
    public string? OnFailure { get; init; }

    /// <summary>Most events waiting for this function; beyond it acceptance answers 429 QueueFull.</summary>
    public int? MaximumQueueDepth { get; init; }

    [JsonIgnore]
    public int RetryAttempts => MaximumRetryAttempts ?? DefaultMaximumRetryAttempts;

    [JsonIgnore]
    public TimeSpan MaximumEventAge => TimeSpan.FromSeconds(MaximumEventAgeInSeconds ?? DefaultMaximumEventAgeInSeconds);

    [JsonIgnore]
    public IReadOnlyList<double> RetryDelays => RetryDelaysSeconds is { Count: > 0 } delays ? delays : DefaultRetryDelaysSeconds;

    [JsonIgnore]
    public int QueueDepth => MaximumQueueDepth ?? DefaultMaximumQueueDepth;
}
