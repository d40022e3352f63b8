using System.Buffers;
using System.Text.Json;

namespace Nimbus.Functions.Logging;

/// <summary>
/// <see cref="IFunctionMetrics"/> for one invocation: each <see cref="Add"/> is one Embedded Metric Format line
/// (<c>{"_aws":{"Timestamp":…,"CloudWatchMetrics":[{"Namespace","Dimensions","Metrics"}]},"Name":value,…}</c>).
/// </summary>
internal sealed class EmfMetrics(JsonLogWriter writer, TimeProvider time, string defaultNamespace) : IFunctionMetrics
{
    public const int MaxDimensions = 30;

    public string Namespace { get; set; } = defaultNamespace;

    public void Add(string name, double value, string unit = "None", IReadOnlyDictionary<string, string>? dimensions = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "a metric value must be a finite number");
        }

        if (dimensions is { Count: > MaxDimensions })
        {
            throw new ArgumentException($"at most {MaxDimensions} dimensions per metric", nameof(dimensions));
        }

        var line = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(line))
        {
            json.WriteStartObject();
            json.WriteStartObject("_aws"u8);
            json.WriteNumber("Timestamp"u8, time.GetUtcNow().ToUnixTimeMilliseconds());
            json.WriteStartArray("CloudWatchMetrics"u8);
            json.WriteStartObject();
            json.WriteString("Namespace"u8, Namespace);
            json.WriteStartArray("Dimensions"u8);
            json.WriteStartArray();
            foreach (var key in dimensions?.Keys ?? Enumerable.Empty<string>())
            {
                json.WriteStringValue(key);
            }

            json.WriteEndArray();
            json.WriteEndArray();
            json.WriteStartArray("Metrics"u8);
            json.WriteStartObject();
            json.WriteString("Name"u8, name);
            json.WriteString("Unit"u8, string.IsNullOrWhiteSpace(unit) ? "None" : unit);
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
            foreach (var (key, dimension) in dimensions ?? new Dictionary<string, string>())
            {
                json.WriteString(key, dimension);
            }

            json.WriteNumber(name, value);
            json.WriteEndObject();
        }

        writer.WriteLine(line.WrittenSpan);
    }
}
