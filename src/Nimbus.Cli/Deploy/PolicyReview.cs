using System.Net;
using Nimbus.Cli.Api;
using Nimbus.Core.Manifest;
using Nimbus.Core.Security.Policy;

namespace Nimbus.Cli.Deploy;

/// <summary>
/// The short "Policy" section of <c>plan</c> and <c>deploy</c>: for each deployed function of the manifest that was
/// seen acting, how the manifest's policy differs from the smallest one covering what it did. Silent when none differ.
/// </summary>
internal static class PolicyReview
{
    public static async Task WriteAsync(ApiClient api, NimbusManifest manifest, string? onlyFunction, TextWriter writer, CancellationToken cancellationToken)
    {
        var sections = new List<(string Name, IReadOnlyList<string> Lines)>();
        foreach (var function in manifest.Functions)
        {
            var name = function.Config.Name;
            if (onlyFunction is not null && onlyFunction != name)
            {
                continue;
            }

            Core.Api.PolicySuggestionInfo info;
            try
            {
                info = await api.GetPolicySuggestionAsync(name, cancellationToken);
            }
            catch (ApiException e) when (e.Status == HttpStatusCode.NotFound)
            {
                continue; // not deployed yet (or a server without policies): nothing was observed
            }

            if (info.Observed.Count == 0)
            {
                continue;
            }

            var lines = PolicyDifference.Describe(PolicySuggester.Suggest(function.Config.Policy, info.Observed));
            if (lines.Count > 0)
            {
                sections.Add((name, lines));
            }
        }

        if (sections.Count == 0)
        {
            return;
        }

        writer.WriteLine();
        writer.WriteLine("Policy (declared vs observed access; `nimbus policy suggest NAME` prints the smallest policy):");
        foreach (var (name, lines) in sections)
        {
            writer.WriteLine($"  {name}:");
            foreach (var line in lines)
            {
                writer.WriteLine($"    {line}");
            }
        }
    }
}
