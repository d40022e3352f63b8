using System.Globalization;

namespace Nimbus.Core.Deployments;

/// <summary>Compares the new version's error rate and p99 with the old version's over the same window. Pure.</summary>
public static class CanaryComparer
{
    public static CanaryVerdict Compare(VersionWindow candidate, VersionWindow baseline, CanaryComparisonOptions options)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(options);
        if (candidate.Calls < options.MinimumThroughput || baseline.Calls < options.MinimumThroughput)
        {
            return new(CanaryVerdictKind.Inconclusive,
                $"too few calls to compare: new {candidate.Calls}, old {baseline.Calls}, need {options.MinimumThroughput} each");
        }

        if (candidate.ErrorRate > baseline.ErrorRate + options.ErrorRateTolerance)
        {
            return new(CanaryVerdictKind.Unhealthy,
                $"error rate {Percent(candidate.ErrorRate)} on the new version against {Percent(baseline.ErrorRate)} on the old ({candidate.Errors}/{candidate.Calls} vs {baseline.Errors}/{baseline.Calls})");
        }

        if (candidate.P99Milliseconds is { } newP99 && baseline.P99Milliseconds is { } oldP99
            && newP99 > oldP99 * options.LatencyRatio
            && newP99 - oldP99 >= options.MinimumLatencyIncreaseMilliseconds)
        {
            return new(CanaryVerdictKind.Unhealthy,
                $"p99 {Ms(newP99)} on the new version against {Ms(oldP99)} on the old");
        }

        return new(CanaryVerdictKind.Healthy,
            $"error rate {Percent(candidate.ErrorRate)} vs {Percent(baseline.ErrorRate)}; p99 {Ms(candidate.P99Milliseconds)} vs {Ms(baseline.P99Milliseconds)}");
    }

    private static string Percent(double rate) => (rate * 100).ToString("0.##", CultureInfo.InvariantCulture) + "%";

    private static string Ms(double? ms) => ms is { } value ? value.ToString("0.#", CultureInfo.InvariantCulture) + " ms" : "unknown";
}
