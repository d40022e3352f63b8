using Nimbus.Core.Idempotency;
using YamlDotNet.RepresentationModel;

namespace Nimbus.Core.Manifest;

/// <summary>
/// Reads a function's <c>idempotency: {key, ttl}</c> into an <see cref="IdempotencyConfig"/>: shapes and types here, the
/// key's syntax and the TTL's range in <see cref="IdempotencyConfigValidator"/> (whose errors land on these lines).
/// </summary>
public static class ManifestIdempotencyReader
{
    public static readonly IReadOnlyList<string> Keys = ["key", "ttl"];

    /// <param name="field">The manifest path of the mapping, e.g. <c>functions.orders.idempotency</c>.</param>
    /// <param name="error">Reports (field, message, line).</param>
    /// <param name="lines">Receives the line of each setting under its validator field name (<c>idempotency.key</c>).</param>
    public static IdempotencyConfig? Read(YamlNode? value, string field, Action<string, string, int> error, IDictionary<string, int> lines)
    {
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(lines);
        if (value is null || YamlNodes.IsNull(value))
        {
            return null;
        }

        if (value is not YamlMappingNode mapping)
        {
            error(field, $"must be a mapping such as {{key: $.orderId, ttl: 1h}}, not {YamlNodes.Kind(value)}", YamlNodes.Line(value));
            return null;
        }

        var config = new IdempotencyConfig();
        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value ?? "";
            if (!Keys.Contains(key))
            {
                error($"{field}.{key}", KeySuggestion.UnknownKeyMessage(key, Keys), YamlNodes.Line(keyNode));
                continue;
            }

            lines[$"idempotency.{key}"] = YamlNodes.Line(valueNode);
            var text = YamlNodes.ScalarText(valueNode);
            if (key == "key")
            {
                if (text is { Length: > 0 })
                {
                    config = config with { Key = text.Trim() };
                }
                else
                {
                    error($"{field}.key", "must be a JSON path into the event such as $.orderId, or header:NAME", YamlNodes.Line(valueNode));
                }
            }
            else if (text is not null && ManifestAsyncReader.TryParseDelay(text, out var seconds))
            {
                config = config with { TtlSeconds = seconds };
            }
            else
            {
                error($"{field}.ttl", $"must be a duration such as 30m, 1h or 3600 (seconds), was {(text is null ? YamlNodes.Kind(valueNode) : $"'{text}'")}",
                    YamlNodes.Line(valueNode));
            }
        }

        if (!lines.ContainsKey("idempotency.key"))
        {
            lines["idempotency.key"] = YamlNodes.Line(mapping);
        }

        return config;
    }
}
