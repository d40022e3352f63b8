using System.Globalization;

namespace Nimbus.Bench;

/// <summary>
/// The line the wrk script's <c>done()</c> prints: <c>requests=N duration_us=N errors=N connect=N read=N write=N
/// status=N timeout=N p50=µs … mean=µs</c>.
/// </summary>
/// <param name="ErrorKinds">The kinds of error wrk counted, non-zero ones only (<c>timeout 1, status 2</c>); empty without errors.</param>
public sealed record WrkResult(long Requests, double Seconds, long Errors, LatencyStats Latency, string ErrorKinds = "")
{
    private static readonly string[] s_errorKinds = ["connect", "read", "write", "status", "timeout"];

    /// <summary>Answers that were not errors per second (wrk counts a status ≥ 400 as an error).</summary>
    public double RequestsPerSecond => Seconds > 0 ? Math.Max(0, Requests - Errors) / Seconds : 0;

    public static WrkResult Parse(string line)
    {
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var pair in line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0 && double.TryParse(pair[(eq + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                values[pair[..eq]] = value;
            }
        }
        double Us(string key) => values.TryGetValue(key, out var v) ? v / 1000 : double.NaN;
        var requests = (long)values.GetValueOrDefault("requests");
        var latency = new LatencyStats(requests, Us("p50"), Us("p90"), Us("p99"), Us("p999"), Us("max"), Us("mean"));
        var kinds = string.Join(", ", s_errorKinds.Where(kind => values.GetValueOrDefault(kind) > 0).Select(kind => $"{kind} {values[kind]:0}"));
        return new WrkResult(requests, values.GetValueOrDefault("duration_us") / 1e6, (long)values.GetValueOrDefault("errors"), latency, kinds);
    }
}
