using Nimbus.Core.Functions;

namespace Nimbus.Core.Slos;

/// <summary>Checks an <see cref="SloDefinition"/>, reporting every problem. Pure.</summary>
public static class SloDefinitionValidator
{
    public static IReadOnlyList<ValidationError> Validate(SloDefinition slo)
    {
        var errors = new List<ValidationError>();
        if (string.IsNullOrWhiteSpace(slo.Name) || !slo.Name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            errors.Add(new("name", "must be letters, digits, '-', '_' or '.'"));
        }

        // 100 % leaves no error budget to burn, so no burn rate can be computed.
        if (!(slo.ObjectivePercent is > 0 and < 100))
        {
            errors.Add(new("objective", "must be a percentage above 0 and below 100"));
        }

        if (slo.Window < TimeSpan.FromHours(1))
        {
            errors.Add(new("window", "must be at least 1h"));
        }

        if (slo.Kind == SloKind.Latency && slo.LatencyThreshold is not { Ticks: > 0 })
        {
            errors.Add(new("latency", "a latency objective needs a duration above zero"));
        }

        return errors;
    }
}
