using System.Text.Json;
using System.Text.Json.Serialization;

namespace Nimbus.Bench;

/// <summary>Writes a report as bench/results/&lt;timestamp&gt;.json and latest.json.</summary>
public static class ReportWriter
{
    private static readonly JsonSerializerOptions s_json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        // Percentiles of an empty sample are NaN; JSON has no NaN, so they are written as strings.
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static async Task<string> WriteAsync(BenchReport report, string directory, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        var json = JsonSerializer.Serialize(report, s_json);
        var stamp = report.Timestamp.Replace(":", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);
        var path = Path.Combine(directory, $"{stamp}.json");
        await File.WriteAllTextAsync(path, json, cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(directory, "latest.json"), json, cancellationToken);
        return path;
    }
}
