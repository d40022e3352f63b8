namespace Nimbus.Core.Slos;

/// <summary>One objective a function declares (<c>slos:</c>): availability unless <see cref="Latency"/> is given.
/// Texts as written (<c>window: 30d</c>, <c>latency: 300ms</c>); <see cref="SloConfigs.ToDefinition"/> checks them.</summary>
public sealed record SloConfig
{
    public string? Name { get; init; }
    public double? Objective { get; init; }
    public string? Window { get; init; }
    public string? Latency { get; init; }
    public string? Alias { get; init; }

    /// <summary>Targets of the objective's burn-rate alarms (<see cref="SloAlarms"/>), as for an alarm's <c>notify</c>.</summary>
    public IReadOnlyList<string>? Notify { get; init; }
}
