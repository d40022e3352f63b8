namespace Nimbus.Core.Schedules;

/// <summary>
/// One schedule a function declares (<c>schedules:</c> in the manifest, <c>schedules</c> in the API). Immutable.
/// </summary>
public sealed record ScheduleConfig
{
    /// <summary><c>rate(5 minutes)</c>, <c>cron(0 12 * * ? *)</c> or a five-field cron line.</summary>
    public required string Expression { get; init; }

    /// <summary>IANA time zone the cron fields are read in; null is UTC.</summary>
    public string? Timezone { get; init; }

    /// <summary>The fixed input as JSON text, delivered as the event's <c>detail</c>; null delivers <c>{}</c>.</summary>
    public string? Input { get; init; }

    /// <summary><c>once</c> (the default) or <c>skip</c>: what happens to ticks missed while Nimbus was down.</summary>
    public string? Missed { get; init; }

    public bool Enabled { get; init; } = true;

    public MissedTickPolicy MissedPolicy => Missed == "skip" ? MissedTickPolicy.Skip : MissedTickPolicy.Once;
}
