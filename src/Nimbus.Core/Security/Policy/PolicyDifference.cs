using System.Globalization;

namespace Nimbus.Core.Security.Policy;

/// <summary>How a declared policy differs from the suggestion, one short line each, for <c>policy suggest</c>, <c>plan</c> and <c>deploy</c>.</summary>
public static class PolicyDifference
{
    public static IReadOnlyList<string> Describe(PolicySuggestion suggestion)
    {
        ArgumentNullException.ThrowIfNull(suggestion);
        var lines = new List<string>();
        foreach (var grant in suggestion.UnusedGrants)
        {
            lines.Add($"unused grant: {grant.Allow} on {grant.Resource}");
        }

        foreach (var attempt in suggestion.DeniedAttempts)
        {
            var times = attempt.Denied == 1 ? "once" : attempt.Denied.ToString(CultureInfo.InvariantCulture) + " times";
            lines.Add($"denied: {attempt.Action} on {attempt.Resource} ({times}, last {attempt.LastAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)}Z)");
        }

        foreach (var narrowing in suggestion.Narrowable)
        {
            lines.Add($"wildcard: {narrowing.Grant.Allow} on {narrowing.Grant.Resource} was used only for {string.Join(", ", narrowing.UsedResources)}");
        }

        return lines;
    }

    /// <summary>A policy as manifest YAML lines (<c>- {allow: ..., resource: ...}</c>), quoting resources that YAML would misread.</summary>
    public static IReadOnlyList<string> AsYaml(IReadOnlyList<PolicyStatement> policy) =>
        [.. policy.Select(s => $"- {{allow: {s.Allow}, resource: {Quoted(s.Resource)}}}")];

    private static string Quoted(string resource) =>
        resource.Contains('*', StringComparison.Ordinal) || resource.Contains(':', StringComparison.Ordinal) || resource.StartsWith('@')
            ? $"\"{resource}\""
            : resource;
}
