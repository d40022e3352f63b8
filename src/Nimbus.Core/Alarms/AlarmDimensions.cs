namespace Nimbus.Core.Alarms;

/// <summary>Which series of the metric an alarm reads: a function, optionally narrowed to one version or one alias
/// (neither: the function as a whole).</summary>
public sealed record AlarmDimensions(string Function, string? Version = null, string? Alias = null)
{
    public override string ToString() =>
        Version is not null ? $"{Function}:{Version}" : Alias is not null ? $"{Function}:{Alias}" : Function;
}
