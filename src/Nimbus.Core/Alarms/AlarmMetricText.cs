using System.Globalization;

namespace Nimbus.Core.Alarms;

/// <summary>Reads an alarm's <c>metric:</c> text: <c>errors</c>, <c>invocations{outcome=InitError}</c>,
/// <c>errors / invocations</c> or <c>100 * errors / invocations</c> (the reverse of <see cref="AlarmMetric.ToString"/>).</summary>
public static class AlarmMetricText
{
    public static bool TryParse(string? text, out AlarmMetric metric)
    {
        metric = AlarmMetric.Single("");
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var scale = 1.0;
        var rest = text.Trim();
        var star = rest.IndexOf('*', StringComparison.Ordinal);
        if (star >= 0)
        {
            if (!double.TryParse(rest[..star].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out scale) || !double.IsFinite(scale) || scale <= 0)
            {
                return false;
            }

            rest = rest[(star + 1)..].Trim();
        }

        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        string? denominator = null;
        if (slash >= 0 && rest.Contains(' ', StringComparison.Ordinal))
        {
            denominator = rest[(slash + 1)..].Trim();
            rest = rest[..slash].Trim();
            if (!IsName(denominator))
            {
                return false;
            }
        }
        else if (star >= 0)
        {
            return false;
        }

        string? dimension = null;
        var brace = rest.IndexOf('{', StringComparison.Ordinal);
        if (brace >= 0)
        {
            if (!rest.EndsWith('}') || !rest[(brace + 1)..^1].Contains('=', StringComparison.Ordinal))
            {
                return false;
            }

            dimension = rest[(brace + 1)..^1];
            rest = rest[..brace];
        }

        if (!IsName(rest))
        {
            return false;
        }

        metric = new AlarmMetric(rest, dimension, denominator, scale);
        return true;
    }

    // A stored metric name: the built-in short names or a custom Namespace/Name.
    private static bool IsName(string name) =>
        name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' or '/' or ':');
}
