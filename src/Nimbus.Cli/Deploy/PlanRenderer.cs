using Nimbus.Cli.Output;
using Nimbus.Core.Manifest;

namespace Nimbus.Cli.Deploy;

/// <summary>
/// A plan for people, one block per function:
/// <code>
/// ~ orders (update)
///     code         sha256 1a2b3c4d -> 9f8e7d6c
///     memory       128 MB -> 256 MB
///     alias live   3 -> 4 (new version) by deployment (Canary10Percent5Minutes)
/// </code>
/// </summary>
internal static class PlanRenderer
{
    public static void Write(TextWriter output, ManifestPlan plan)
    {
        foreach (var function in plan.Functions)
        {
            var (mark, word) = function.Action switch
            {
                PlanAction.Create => ("+", "create"),
                PlanAction.Update => ("~", "update"),
                _ => ("=", "no changes"),
            };
            output.WriteLine($"{mark} {function.Name} ({word})");
            if (!function.HasChanges)
            {
                continue;
            }

            var rows = new List<(string Field, string Change)>();
            if (function.Code is { } code)
            {
                rows.Add(("code", code.OldSha256 is null ? $"sha256 {Formats.ShortSha(code.NewSha256)}" : $"sha256 {Formats.ShortSha(code.OldSha256)} -> {Formats.ShortSha(code.NewSha256)}"));
            }

            foreach (var change in function.Changes)
            {
                rows.Add(change.Field == "routes"
                    ? (change.Old is null ? "+ route" : "- route", change.Old ?? change.New ?? "")
                    : (change.Field, Change(change, function.Action)));
            }

            if (function.Alias is { Action: not AliasAction.Unchanged } alias)
            {
                rows.Add(($"alias {alias.Name}", AliasChange(alias)));
            }

            var width = rows.Max(r => r.Field.Length);
            foreach (var (field, change) in rows)
            {
                output.WriteLine($"    {field.PadRight(width)}  {change}");
            }
        }

        foreach (var name in plan.Unmanaged)
        {
            output.WriteLine($"  {name} (deployed, not in the manifest: left alone)");
        }

        output.WriteLine(Summary(plan));
    }

    public static string Summary(ManifestPlan plan) =>
        $"Plan: {plan.Count(PlanAction.Create)} to create, {plan.Count(PlanAction.Update)} to update, " +
        $"{plan.Count(PlanAction.Unchanged)} unchanged" + (plan.Unmanaged.Count > 0 ? $", {plan.Unmanaged.Count} not in the manifest" : "") + ".";

    private static string Change(FieldChange change, PlanAction action) => (change.Old, change.New) switch
    {
        (null, { } added) when action == PlanAction.Create => Quote(change.Field, added),
        (null, { } added) => $"(none) -> {Quote(change.Field, added)}",
        ({ } removed, null) => $"{Quote(change.Field, removed)} -> (none)",
        _ => $"{Quote(change.Field, change.Old!)} -> {Quote(change.Field, change.New!)}",
    };

    /// <summary>Text values are quoted so that an empty or space-padded value is visible.</summary>
    private static string Quote(string field, string value) =>
        field.StartsWith("environment.", StringComparison.Ordinal) || field is "description" or "handler" ? $"\"{value}\"" : value;

    private static string AliasChange(AliasPlan alias)
    {
        var to = alias.NewVersion ? $"{alias.ToVersion} (new version)" : Formats.Integer(alias.ToVersion);
        if (alias.Action == AliasAction.Create)
        {
            return $"(none) -> {to}";
        }

        var from = Formats.Integer(alias.FromVersion ?? 0) +
            string.Concat(alias.FromAdditionalVersions.Select(w => $" + {Formats.Number(w.Value * 100)}% to {w.Key}"));
        return alias.Strategy is { } strategy ? $"{from} -> {to} by deployment ({strategy})" : $"{from} -> {to}";
    }
}
