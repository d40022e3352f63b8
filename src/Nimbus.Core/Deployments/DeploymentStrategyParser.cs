using System.Globalization;
using Nimbus.Core.Functions;
using Nimbus.Core.Manifest;

namespace Nimbus.Core.Deployments;

/// <summary>
/// Reads a deployment strategy: one of CodeDeploy's predefined Lambda names as they are (<c>Canary10Percent5Minutes</c>,
/// also with the <c>CodeDeployDefault.Lambda</c> prefix), <c>BlueGreen</c>, or a mapping
/// <c>{type: canary|linear|allAtOnce|blueGreen|shadow|ab, percent, interval, bakeTime, duration, key}</c>.
/// Pure; never throws on user input.
/// </summary>
public static class DeploymentStrategyParser
{
    public const string Field = "strategy";
    private const string CodeDeployPrefix = "CodeDeployDefault.Lambda";

    /// <summary>How long BlueGreen keeps the old version warm after the switch unless a bake time is given.</summary>
    public static readonly TimeSpan DefaultBakeTime = TimeSpan.FromMinutes(10);

    /// <summary>CodeDeploy allows intervals up to 2880 minutes; so do we.</summary>
    public static readonly TimeSpan MaxInterval = TimeSpan.FromHours(48);

    /// <summary>The longest a shadow or A/B experiment may run before it must be promoted or rolled back.</summary>
    public static readonly TimeSpan MaxDuration = TimeSpan.FromDays(30);

    private static readonly string[] s_types = ["canary", "linear", "allAtOnce", "blueGreen", "shadow", "ab"];
    private static readonly string[] s_fields = ["type", "percent", "interval", "bakeTime", "duration", "key", "name"];

    private static readonly Dictionary<string, DeploymentStrategy> s_predefined = BuildPredefined();

    /// <summary>The predefined names, in the order the docs list them.</summary>
    public static IReadOnlyList<string> PredefinedNames { get; } = [.. s_predefined.Keys];

    /// <summary>Parses a strategy written as a name.</summary>
    public static StrategyParseResult Parse(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return Fail(Field, "is required: a name such as Canary10Percent5Minutes, or {type: canary, percent: 10, interval: 5m}");
        }

        var text = name.Trim();
        var bare = text.StartsWith(CodeDeployPrefix, StringComparison.OrdinalIgnoreCase) ? text[CodeDeployPrefix.Length..] : text;
        foreach (var (known, strategy) in s_predefined)
        {
            if (string.Equals(known, bare, StringComparison.OrdinalIgnoreCase))
            {
                return new(strategy, []);
            }
        }

        if (string.Equals(bare, "Shadow", StringComparison.OrdinalIgnoreCase) || string.Equals(bare, "AB", StringComparison.OrdinalIgnoreCase))
        {
            return Fail(Field, $"'{text}' needs its settings: write {{type: {bare.ToLowerInvariant()}, percent: P, duration: D{(bare.Length == 2 ? ", key: header:NAME" : "")}}}");
        }

        var closest = KeySuggestion.Closest(bare, PredefinedNames);
        return closest is not null
            ? Fail(Field, $"unknown strategy '{text}'; did you mean '{closest}'?")
            : Fail(Field, $"unknown strategy '{text}'; expected one of: {string.Join(", ", PredefinedNames)}, or a mapping with type canary, linear, blueGreen, shadow or ab");
    }

    /// <summary>Parses a strategy written as a mapping (values as the manifest or JSON gave them, as text).</summary>
    public static StrategyParseResult Parse(IReadOnlyDictionary<string, string?> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var errors = new List<ValidationError>();
        foreach (var key in fields.Keys)
        {
            if (!s_fields.Contains(key, StringComparer.Ordinal))
            {
                errors.Add(new($"{Field}.{key}", KeySuggestion.UnknownKeyMessage(key, s_fields)));
            }
        }

        if (fields.TryGetValue("name", out var predefined))
        {
            if (fields.Count > 1)
            {
                errors.Add(new($"{Field}.name", "a predefined name takes no other settings"));
            }

            return errors.Count > 0 ? new(null, errors) : Parse(predefined);
        }

        fields.TryGetValue("type", out var typeText);
        var type = s_types.FirstOrDefault(t => string.Equals(t, typeText?.Trim(), StringComparison.OrdinalIgnoreCase));
        if (type is null)
        {
            var closest = typeText is null ? null : KeySuggestion.Closest(typeText, s_types);
            errors.Add(new($"{Field}.type", typeText is null
                ? $"is required: one of {string.Join(", ", s_types)}"
                : closest is not null
                    ? $"unknown type '{typeText}'; did you mean '{closest}'?"
                    : $"unknown type '{typeText}'; expected one of {string.Join(", ", s_types)}"));
            return new(null, errors);
        }

        var strategy = type switch
        {
            "canary" => Shift(DeploymentStrategyKind.Canary, fields, errors),
            "linear" => Shift(DeploymentStrategyKind.Linear, fields, errors),
            "allAtOnce" => Simple(DeploymentStrategyKind.AllAtOnce, fields, errors, TimeSpan.Zero),
            "blueGreen" => Simple(DeploymentStrategyKind.BlueGreen, fields, errors, DefaultBakeTime),
            "shadow" => Experiment(DeploymentStrategyKind.Shadow, fields, errors),
            _ => Experiment(DeploymentStrategyKind.AB, fields, errors),
        };
        return errors.Count > 0 ? new(null, errors) : new(strategy, []);
    }

    /// <summary>The strategy as fields that <see cref="Parse(IReadOnlyDictionary{string, string})"/> reads back to an equal value.</summary>
    public static IReadOnlyDictionary<string, string?> ToFields(DeploymentStrategy strategy)
    {
        ArgumentNullException.ThrowIfNull(strategy);
        if (strategy.PredefinedName is { } name
            && s_predefined.TryGetValue(name, out var known) && known == strategy)
        {
            return new Dictionary<string, string?> { ["name"] = name };
        }

        var fields = new Dictionary<string, string?>
        {
            ["type"] = strategy.Kind switch
            {
                DeploymentStrategyKind.Canary => "canary",
                DeploymentStrategyKind.Linear => "linear",
                DeploymentStrategyKind.BlueGreen => "blueGreen",
                DeploymentStrategyKind.Shadow => "shadow",
                DeploymentStrategyKind.AB => "ab",
                _ => "allAtOnce",
            },
        };
        if (strategy.Kind is not (DeploymentStrategyKind.Shadow or DeploymentStrategyKind.AB))
        {
            fields["bakeTime"] = DurationText.Format(strategy.BakeTime);
        }

        if (strategy.Kind is DeploymentStrategyKind.Canary or DeploymentStrategyKind.Linear)
        {
            fields["percent"] = DurationText.Format(strategy.Percent);
            fields["interval"] = DurationText.Format(strategy.Interval);
        }
        else if (strategy.Kind is DeploymentStrategyKind.Shadow or DeploymentStrategyKind.AB)
        {
            fields["percent"] = DurationText.Format(strategy.Percent);
            fields["duration"] = DurationText.Format(strategy.Duration);
            if (strategy.Key is { } key)
            {
                fields["key"] = key.ToString();
            }
        }

        return fields;
    }

    private static DeploymentStrategy Shift(DeploymentStrategyKind kind, IReadOnlyDictionary<string, string?> fields, List<ValidationError> errors)
    {
        var percent = ReadPercent(fields, errors, allowHundred: false);
        var interval = ReadDuration(fields, "interval", errors, required: true, TimeSpan.FromSeconds(1), MaxInterval) ?? TimeSpan.Zero;
        var bake = ReadDuration(fields, "bakeTime", errors, required: false, TimeSpan.Zero, MaxInterval) ?? TimeSpan.Zero;
        Refuse(fields, errors, "duration", "key");
        return new(kind, percent, interval, bake, TimeSpan.Zero, null, null);
    }

    private static DeploymentStrategy Simple(DeploymentStrategyKind kind, IReadOnlyDictionary<string, string?> fields, List<ValidationError> errors, TimeSpan defaultBake)
    {
        var bake = ReadDuration(fields, "bakeTime", errors, required: false, TimeSpan.Zero, MaxInterval) ?? defaultBake;
        Refuse(fields, errors, "percent", "interval", "duration", "key");
        var name = kind == DeploymentStrategyKind.AllAtOnce && bake == TimeSpan.Zero ? "AllAtOnce"
            : kind == DeploymentStrategyKind.BlueGreen && bake == DefaultBakeTime ? "BlueGreen"
            : null;
        return new(kind, 100, TimeSpan.Zero, bake, TimeSpan.Zero, null, name);
    }

    private static DeploymentStrategy Experiment(DeploymentStrategyKind kind, IReadOnlyDictionary<string, string?> fields, List<ValidationError> errors)
    {
        var percent = ReadPercent(fields, errors, allowHundred: kind == DeploymentStrategyKind.Shadow);
        var duration = ReadDuration(fields, "duration", errors, required: true, TimeSpan.FromSeconds(1), MaxDuration) ?? TimeSpan.Zero;
        AbKey? key = null;
        if (kind == DeploymentStrategyKind.AB)
        {
            key = ReadKey(fields, errors);
        }
        else
        {
            Refuse(fields, errors, "key");
        }

        Refuse(fields, errors, "interval", "bakeTime");
        return new(kind, percent, TimeSpan.Zero, TimeSpan.Zero, duration, key, null);
    }

    private static double ReadPercent(IReadOnlyDictionary<string, string?> fields, List<ValidationError> errors, bool allowHundred)
    {
        var range = allowHundred ? "greater than 0 and at most 100" : "greater than 0 and less than 100";
        if (!fields.TryGetValue("percent", out var text) || string.IsNullOrWhiteSpace(text))
        {
            errors.Add(new($"{Field}.percent", $"is required: a number {range}"));
            return 0;
        }

        var trimmed = text.Trim().TrimEnd('%');
        if (!double.TryParse(trimmed, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var percent)
            || percent <= 0 || percent > 100 || (!allowHundred && percent >= 100))
        {
            errors.Add(new($"{Field}.percent", $"'{text}' is not a percentage {range}"));
            return 0;
        }

        return percent;
    }

    private static TimeSpan? ReadDuration(
        IReadOnlyDictionary<string, string?> fields, string name, List<ValidationError> errors, bool required, TimeSpan min, TimeSpan max)
    {
        if (!fields.TryGetValue(name, out var text) || string.IsNullOrWhiteSpace(text))
        {
            if (required)
            {
                errors.Add(new($"{Field}.{name}", "is required: a duration such as 30s, 5m or 1h"));
            }

            return null;
        }

        if (!DurationText.TryParse(text.Trim(), out var duration, out var error))
        {
            errors.Add(new($"{Field}.{name}", $"'{text}' {error}"));
            return null;
        }

        if (duration < min || duration > max)
        {
            errors.Add(new($"{Field}.{name}", $"'{text}' is out of range: from {DurationText.Format(min)} to {DurationText.Format(max)}"));
            return null;
        }

        return duration;
    }

    private static AbKey? ReadKey(IReadOnlyDictionary<string, string?> fields, List<ValidationError> errors)
    {
        const string Expected = "header:NAME, cookie:NAME or a JSON path such as $.user.id";
        if (!fields.TryGetValue("key", out var text) || string.IsNullOrWhiteSpace(text))
        {
            errors.Add(new($"{Field}.key", $"is required: {Expected}"));
            return null;
        }

        var trimmed = text.Trim();
        AbKey? key = null;
        if (trimmed.StartsWith("header:", StringComparison.OrdinalIgnoreCase))
        {
            key = new(AbKeySource.Header, trimmed["header:".Length..].Trim().ToLowerInvariant());
        }
        else if (trimmed.StartsWith("cookie:", StringComparison.OrdinalIgnoreCase))
        {
            key = new(AbKeySource.Cookie, trimmed["cookie:".Length..].Trim());
        }
        else if (trimmed.StartsWith("$.", StringComparison.Ordinal) && trimmed.Length > 2 && !trimmed.EndsWith('.') && !trimmed.Contains("..", StringComparison.Ordinal))
        {
            key = new(AbKeySource.JsonPath, trimmed);
        }

        if (key is null || key.Name.Length == 0 || key.Name.Any(char.IsWhiteSpace))
        {
            errors.Add(new($"{Field}.key", $"'{text}' is not a key: expected {Expected}"));
            return null;
        }

        return key;
    }

    private static void Refuse(IReadOnlyDictionary<string, string?> fields, List<ValidationError> errors, params string[] names)
    {
        foreach (var name in names)
        {
            if (fields.ContainsKey(name))
            {
                errors.Add(new($"{Field}.{name}", $"does not apply to this strategy type"));
            }
        }
    }

    private static StrategyParseResult Fail(string field, string message) => new(null, [new(field, message)]);

    private static Dictionary<string, DeploymentStrategy> BuildPredefined()
    {
        var map = new Dictionary<string, DeploymentStrategy>(StringComparer.Ordinal)
        {
            ["AllAtOnce"] = new(DeploymentStrategyKind.AllAtOnce, 100, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, null, "AllAtOnce"),
        };
        foreach (var minutes in new[] { 5, 10, 15, 30 })
        {
            var name = $"Canary10Percent{minutes}Minutes";
            map[name] = new(DeploymentStrategyKind.Canary, 10, TimeSpan.FromMinutes(minutes), TimeSpan.Zero, TimeSpan.Zero, null, name);
        }

        foreach (var minutes in new[] { 1, 2, 3, 10 })
        {
            var name = minutes == 1 ? "Linear10PercentEvery1Minute" : $"Linear10PercentEvery{minutes}Minutes";
            map[name] = new(DeploymentStrategyKind.Linear, 10, TimeSpan.FromMinutes(minutes), TimeSpan.Zero, TimeSpan.Zero, null, name);
        }

        map["BlueGreen"] = new(DeploymentStrategyKind.BlueGreen, 100, TimeSpan.Zero, DefaultBakeTime, TimeSpan.Zero, null, "BlueGreen");
        return map;
    }
}
