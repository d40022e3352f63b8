using System.Text;

namespace Nimbus.Server.Telemetry.Metrics;

/// <summary>A label set in exposition form: <c>{function="f",version="1"}</c>, values escaped.</summary>
public static class PrometheusLabels
{
    public static string Format(params (string Name, string Value)[] labels)
    {
        var text = new StringBuilder("{");
        foreach (var (name, value) in labels)
        {
            if (text.Length > 1)
            {
                text.Append(',');
            }

            text.Append(name).Append("=\"").Append(Escape(value)).Append('"');
        }

        return text.Append('}').ToString();
    }

    /// <summary>Adds one label to a formatted set (for histogram <c>le</c>).</summary>
    public static string With(string labels, string name, string value) =>
        labels.Length <= 2 ? $"{{{name}=\"{Escape(value)}\"}}" : $"{labels[..^1]},{name}=\"{Escape(value)}\"}}";

    public static string Escape(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}
