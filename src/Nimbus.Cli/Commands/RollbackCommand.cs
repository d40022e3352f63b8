using Nimbus.Cli.Arguments;
using Nimbus.Cli.Output;

namespace Nimbus.Cli.Commands;

internal static class RollbackCommand
{
    public static readonly CommandSpec Spec = new(
        "rollback",
        "Put an alias back on the version it served before its current one, at once (stops a deployment in progress)",
        [new ArgumentSpec("NAME[:ALIAS]", "Function name, and the alias (may be left out when the function has one alias)")],
        [CommonOptions.Output, CommonOptions.Url, CommonOptions.Timeout],
        RunAsync);

    private static async Task<int> RunAsync(ParsedCommand command, CliContext context, CancellationToken cancellationToken)
    {
        var output = command.Output;
        var target = command.Argument("NAME[:ALIAS]");
        var colon = target.IndexOf(':', StringComparison.Ordinal);
        var name = colon >= 0 ? target[..colon] : target;
        var alias = colon >= 0 ? target[(colon + 1)..] : null;
        if (name.Length == 0 || alias is { Length: 0 })
        {
            throw command.Invalid("NAME[:ALIAS]", target, "a function name, optionally with :ALIAS (orders:live)");
        }

        using var api = context.CreateClient(command);
        if (alias is null)
        {
            var aliases = await api.ListAliasesAsync(name, cancellationToken);
            alias = aliases.Count switch
            {
                1 => aliases[0].Name,
                0 => throw new CliException($"'{name}' has no alias to roll back", ExitCodes.Failed),
                _ => throw new CliException(
                    $"'{name}' has {aliases.Count} aliases; say which: {string.Join(", ", aliases.Select(a => $"{name}:{a.Name}").Order(StringComparer.Ordinal))}",
                    ExitCodes.Failed),
            };
        }

        var result = await api.RollbackAliasAsync(name, alias, cancellationToken);
        if (output == OutputFormat.Json)
        {
            JsonOutput.Write(context.Out, result);
            return ExitCodes.Success;
        }

        var stopped = result.StoppedDeploymentId is { } id ? $" (deployment {id} rolled back)" : "";
        context.Out.WriteLine($"{result.FunctionName}: alias {result.Alias} -> {result.ToVersion} (was {result.FromVersion}){stopped}");
        return ExitCodes.Success;
    }
}
