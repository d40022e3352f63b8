namespace Nimbus.Core.Metrics;

/// <summary>
/// Bounds how many distinct custom series (metric name and dimension set) one function may create, so a function
/// that puts request ids into dimensions cannot grow the store without limit. Series already admitted keep being
/// counted; new ones beyond the limit are refused and counted in <see cref="Refused"/>. Not thread-safe.
/// </summary>
public sealed class CustomSeriesLimit(int perFunction = CustomSeriesLimit.DefaultPerFunction)
{
    public const int DefaultPerFunction = 1000;

    private readonly Dictionary<string, HashSet<(string Metric, string Dimension)>> _admitted = new(StringComparer.Ordinal);

    public long Refused { get; private set; }

    public bool TryAdmit(string function, string metric, string dimension)
    {
        if (!_admitted.TryGetValue(function, out var series))
        {
            series = [];
            _admitted[function] = series;
        }

        if (series.Contains((metric, dimension)))
        {
            return true;
        }

        if (series.Count >= perFunction)
        {
            Refused++;
            return false;
        }

        series.Add((metric, dimension));
        return true;
    }
}
