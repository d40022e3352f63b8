namespace Nimbus.Core.Slos;

/// <summary>A function's change to its default objective (<c>defaultSlo:</c>, see <see cref="DefaultSlo"/>):
/// <c>enabled: false</c> switches it off; the rest replace its settings. Texts as written (<c>window: 7d</c>).</summary>
public sealed record DefaultSloConfig
{
    public bool? Enabled { get; init; }
    public double? Objective { get; init; }
    public string? Window { get; init; }

    /// <summary>Targets of the default objective's burn-rate alarms, as for an objective's <c>notify</c>.</summary>
    public IReadOnlyList<string>? Notify { get; init; }
}
