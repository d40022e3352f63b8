using System.Globalization;
using Nimbus.Core.Logs;
using Nimbus.Core.Manifest;
using YamlDotNet.RepresentationModel;

namespace Nimbus.Core.Alarms;

/// <summary>
/// Reads a function's <c>defaultAlarms:</c> map: each key a default alarm (<see cref="DefaultAlarmKeys"/>), each value
/// <c>false</c> (switch it off), <c>true</c> (keep it) or a mapping of <c>threshold</c>, <c>period</c>,
/// <c>evaluationPeriods</c>, <c>datapointsToAlarm</c>, <c>treatMissingData</c>. Every problem is reported with its line.
/// </summary>
public static class DefaultAlarmOverridesReader
{
    private static readonly string[] Settings = ["threshold", "period", "evaluationPeriods", "datapointsToAlarm", "treatMissingData", "notify", "notifyOn", "runbook"];

    public static IReadOnlyDictionary<string, DefaultAlarmOverride> Read(YamlNode node, string field, List<ManifestError> errors)
    {
        var result = new Dictionary<string, DefaultAlarmOverride>(StringComparer.Ordinal);
        if (YamlNodes.IsNull(node))
        {
            return result;
        }

        if (node is not YamlMappingNode mapping)
        {
            errors.Add(new(field, $"must be a mapping of default alarm to settings, not {YamlNodes.Kind(node)}", YamlNodes.Line(node)));
            return result;
        }

        foreach (var (keyNode, value) in mapping.Children)
        {
            var key = YamlNodes.ScalarText(keyNode) ?? "";
            var path = $"{field}.{key}";
            if (!DefaultAlarmKeys.All.Contains(key))
            {
                errors.Add(new(path, $"is not a default alarm (one of {string.Join(", ", DefaultAlarmKeys.All)})", YamlNodes.Line(keyNode)));
                continue;
            }

            if (ReadOne(value, path, errors) is { } change)
            {
                result[key] = change;
            }
        }

        return result;
    }

    private static DefaultAlarmOverride? ReadOne(YamlNode value, string path, List<ManifestError> errors)
    {
        switch (YamlNodes.ScalarText(value))
        {
            case "false":
                return DefaultAlarmOverride.Disabled;
            case "true":
                return new DefaultAlarmOverride();
        }

        if (value is not YamlMappingNode settings)
        {
            errors.Add(new(path, "must be false, true or a mapping of threshold, period, evaluationPeriods, datapointsToAlarm, treatMissingData", YamlNodes.Line(value)));
            return null;
        }

        var change = new DefaultAlarmOverride();
        foreach (var (keyNode, node) in settings.Children)
        {
            var key = YamlNodes.ScalarText(keyNode) ?? "";
            var text = YamlNodes.ScalarText(node);
            var at = $"{path}.{key}";
            var line = YamlNodes.Line(node);
            switch (key)
            {
                case "enabled" when text is "true" or "false":
                    change = change with { Enabled = text == "true" };
                    break;
                case "threshold" when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var threshold) && double.IsFinite(threshold):
                    change = change with { Threshold = threshold };
                    break;
                case "period" when text is not null && TimeExpression.TryParseDuration(text, out var period) && AlarmDefinitionValidator.IsValidPeriod(period):
                    change = change with { Period = period };
                    break;
                case "evaluationPeriods" when int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1:
                    change = change with { EvaluationPeriods = n };
                    break;
                case "datapointsToAlarm" when int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var m) && m >= 1:
                    change = change with { DatapointsToAlarm = m };
                    break;
                case "treatMissingData" when TreatMissingDataNames.TryParse(text, out var treat):
                    change = change with { TreatMissingData = treat };
                    break;
                case "notify" or "notifyOn" when ManifestLists.Strings(node) is { } items:
                    change = key == "notify" ? change with { Notify = items } : change with { NotifyOn = items };
                    break;
                case "runbook" when text is not null:
                    change = change with { Runbook = text };
                    break;
                case "notify" or "notifyOn":
                    errors.Add(new(at, "must be a list of texts", line));
                    break;
                case "runbook":
                    errors.Add(new(at, "must be a URL or markdown text", line));
                    break;
                case "enabled":
                    errors.Add(new(at, "must be true or false", line));
                    break;
                case "threshold":
                    errors.Add(new(at, "must be a number", line));
                    break;
                case "period":
                    errors.Add(new(at, "must be 10s, 20s, 30s or a whole number of minutes (e.g. 1m)", line));
                    break;
                case "evaluationPeriods" or "datapointsToAlarm":
                    errors.Add(new(at, "must be a whole number of at least 1", line));
                    break;
                case "treatMissingData":
                    errors.Add(new(at, "must be missing, notBreaching, breaching or ignore", line));
                    break;
                default:
                    errors.Add(new(at, KeySuggestion.UnknownKeyMessage(key, [.. Settings, "enabled"]), YamlNodes.Line(keyNode)));
                    break;
            }
        }

        if (change is { DatapointsToAlarm: { } dm, EvaluationPeriods: { } dn } && dm > dn)
        {
            errors.Add(new($"{path}.datapointsToAlarm", "must not exceed evaluationPeriods", YamlNodes.Line(value)));
            return null;
        }

        return change;
    }
}
