using Nimbus.Cli.Arguments;
using Nimbus.Cli.Output;
using Nimbus.Core.Security.Policy;

namespace Nimbus.Cli.Commands;

internal static class PolicySuggestCommand
{
    public static readonly CommandSpec Spec = new(
        "policy suggest",
        "Print the smallest policy covering what a function was seen doing, and how its declared policy differs",
        [new ArgumentSpec("NAME", "Function name")],
        [CommonOptions.Output, CommonOptions.Url, CommonOptions.Timeout],
        RunAsync);

    private static async Task<int> RunAsync(ParsedCommand command, CliContext context, CancellationToken cancellationToken)
    {
        var name = command.Argument("NAME");
        using var api = context.CreateClient(command);
        var info = await api.GetPolicySuggestionAsync(name, cancellationToken);
        if (command.Output == OutputFormat.Json)
        {
            JsonOutput.Write(context.Out, info);
            return ExitCodes.Success;
        }

        var output = context.Out;
        if (info.Observed.Count == 0)
        {
            output.WriteLine($"# {name} was not seen invoking a function, reading a secret or sending to a queue; the smallest policy is none");
        }
        else
        {
            output.WriteLine($"# smallest policy covering what {name} was seen doing (nimbus.yaml, under functions.{name}):");
            output.WriteLine("policy:");
            foreach (var line in PolicyDifference.AsYaml(info.Suggested))
            {
                output.WriteLine("  " + line);
            }
        }

        var suggestion = new PolicySuggestion(info.Suggested, info.UnusedGrants, info.DeniedAttempts, info.Narrowable);
        var differences = PolicyDifference.Describe(suggestion);
        output.WriteLine(differences.Count == 0 ? "# the declared policy matches" : "# the declared policy differs:");
        foreach (var line in differences)
        {
            output.WriteLine("#   " + line);
        }

        return ExitCodes.Success;
    }
}
