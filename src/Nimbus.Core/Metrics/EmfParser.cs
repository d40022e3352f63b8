using System.Text.Json;

namespace Nimbus.Core.Metrics;

/// <summary>
/// Reads CloudWatch Embedded Metric Format (what Powertools Metrics writes): a JSON object whose <c>_aws</c> key lists
/// <c>CloudWatchMetrics</c> directives (<c>Namespace</c>, <c>Dimensions</c> as arrays of key names, <c>Metrics</c> as
/// <c>{Name, Unit}</c>); the values and dimension values are top-level keys of the same object. A value may be a
/// number or an array of numbers. Anything that is not EMF gives no metrics.
/// </summary>
public static class EmfParser
{
    public const int MaxNameLength = 255;

    /// <summary>Cheap test before parsing: only lines mentioning <c>"_aws"</c> can be EMF.</summary>
    public static bool MayBeEmf(string? json) => json is not null && json.Contains("\"_aws\"", StringComparison.Ordinal);

    public static IReadOnlyList<EmfMetric> Parse(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("_aws", out var aws) || aws.ValueKind != JsonValueKind.Object
                || !aws.TryGetProperty("CloudWatchMetrics", out var directives) || directives.ValueKind != JsonValueKind.Array)
            {
                return [];
            }

            var metrics = new List<EmfMetric>();
            foreach (var directive in directives.EnumerateArray())
            {
                if (directive.ValueKind != JsonValueKind.Object
                    || !directive.TryGetProperty("Metrics", out var definitions) || definitions.ValueKind != JsonValueKind.Array)
                {
                    continue;
                }

                var ns = directive.TryGetProperty("Namespace", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()! : "aws-embedded-metrics";
                var dimensionSets = DimensionSets(root, directive);
                foreach (var definition in definitions.EnumerateArray())
                {
                    if (definition.ValueKind != JsonValueKind.Object || !definition.TryGetProperty("Name", out var nameElement)
                        || nameElement.ValueKind != JsonValueKind.String)
                    {
                        continue;
                    }

                    var name = $"{ns}/{nameElement.GetString()}";
                    var values = Values(root, nameElement.GetString()!);
                    if (values.Count == 0 || name.Length > MaxNameLength)
                    {
                        continue;
                    }

                    var unit = definition.TryGetProperty("Unit", out var u) && u.ValueKind == JsonValueKind.String ? u.GetString() : null;
                    metrics.Add(new EmfMetric(name, unit, values, dimensionSets));
                }
            }

            return metrics;
        }
        catch (JsonException)
        {
            return [];
        }
    }

    private static List<double> Values(JsonElement root, string name)
    {
        var values = new List<double>();
        if (!root.TryGetProperty(name, out var value))
        {
            return values;
        }

        if (value.ValueKind == JsonValueKind.Number)
        {
            values.Add(value.GetDouble());
        }
        else if (value.ValueKind == JsonValueKind.Array)
        {
            values.AddRange(value.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.Number).Take(100).Select(v => v.GetDouble()));
        }

        return values;
    }

    /// <summary>Each dimension set as <c>k=v,k2=v2</c> with its values from the root; a set naming a missing key is skipped.</summary>
    private static List<string> DimensionSets(JsonElement root, JsonElement directive)
    {
        var sets = new List<string>();
        if (!directive.TryGetProperty("Dimensions", out var dimensions) || dimensions.ValueKind != JsonValueKind.Array)
        {
            return sets;
        }

        foreach (var set in dimensions.EnumerateArray())
        {
            if (set.ValueKind != JsonValueKind.Array)
            {
                continue;
            }

            var pairs = new List<string>();
            foreach (var key in set.EnumerateArray())
            {
                if (key.ValueKind == JsonValueKind.String && root.TryGetProperty(key.GetString()!, out var v) && v.ValueKind == JsonValueKind.String)
                {
                    pairs.Add($"{key.GetString()}={v.GetString()}");
                }
                else
                {
                    pairs.Clear();
                    break;
                }
            }

            if (pairs.Count > 0)
            {
                sets.Add(string.Join(',', pairs));
            }
        }

        return sets;
    }
}
