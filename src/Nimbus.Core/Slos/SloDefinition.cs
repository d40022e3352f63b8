namespace Nimbus.Core.Slos;

/// <summary>
/// A service level objective for a function (or one alias of it): <see cref="ObjectivePercent"/> of invocations good
/// over the rolling <see cref="Window"/>. Availability counts succeeded invocations as good; latency counts those
/// that finished in under <see cref="LatencyThreshold"/>.
/// </summary>
public sealed record SloDefinition(string Name, string Function, SloKind Kind, double ObjectivePercent)
{
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromDays(30);

    public string? Alias { get; init; }

    /// <summary>Required for <see cref="SloKind.Latency"/>; a good invocation's duration is below it.</summary>
    public TimeSpan? LatencyThreshold { get; init; }

    public TimeSpan Window { get; init; } = DefaultWindow;

    public static SloDefinition Availability(string name, string function, double objectivePercent) =>
        new(name, function, SloKind.Availability, objectivePercent);

    public static SloDefinition Latency(string name, string function, TimeSpan threshold, double objectivePercent) =>
        new(name, function, SloKind.Latency, objectivePercent) { LatencyThreshold = threshold };

    /// <summary>Whether one invocation counts as good for this objective.</summary>
    public bool IsGood(bool succeeded, TimeSpan duration) => Kind switch
    {
        SloKind.Latency => duration < LatencyThreshold,
        _ => succeeded,
    };
}
