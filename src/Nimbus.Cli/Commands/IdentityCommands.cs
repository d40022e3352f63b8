using Nimbus.Cli.Arguments;
using Nimbus.Cli.Output;
using Nimbus.Core.Api;
using Nimbus.Core.Security;

namespace Nimbus.Cli.Commands;

/// <summary>
/// <c>tokens create|list|revoke</c> and <c>keys create|list|revoke</c>: the same three verbs over
/// <c>/api/v1/tokens</c> and <c>/api/v1/keys</c>. The secret is printed once, by create.
/// </summary>
internal static class IdentityCommands
{
    private static readonly OptionSpec s_role = new("role", null, "ROLE", $"One of {string.Join(", ", Roles.Assignable)}");
    private static readonly OptionSpec s_functions = new("functions", null, "PATTERN", "Limit it to functions matching this pattern, e.g. 'orders*'");
    private static readonly OptionSpec s_description = new("description", null, "TEXT", "What it is for");

    public static readonly CommandSpec TokensCreate = Create("tokens", "token", "Create a bearer token (printed once)");
    public static readonly CommandSpec TokensList = List("tokens", "List tokens (never their secrets)");
    public static readonly CommandSpec TokensRevoke = Revoke("tokens", "token", "Revoke a token: it stops authenticating at once");
    public static readonly CommandSpec KeysCreate = Create("keys", "key", "Create an access key pair for AWS SigV4 clients (secret printed once)");
    public static readonly CommandSpec KeysList = List("keys", "List access keys (never their secrets)");
    public static readonly CommandSpec KeysRevoke = Revoke("keys", "key", "Revoke an access key: it stops authenticating at once");

    private static CommandSpec Create(string kind, string noun, string summary) => new(
        $"{kind} create", summary, [],
        [s_role, s_functions, s_description, CommonOptions.Output, CommonOptions.Url, CommonOptions.Timeout],
        async (command, context, cancellationToken) =>
        {
            var role = command.Option("role") ?? throw new UsageException($"{kind} create needs --role ({string.Join(", ", Roles.Assignable)})");
            if (!Roles.IsAssignable(role))
            {
                throw command.Invalid("--role", role, $"one of {string.Join(", ", Roles.Assignable)}");
            }

            if (command.Option("functions") is { } pattern && FunctionPattern.Check(pattern) is { } error)
            {
                throw command.Invalid("--functions", pattern, error);
            }

            using var api = context.CreateClient(command);
            var created = await api.CreateIdentityAsync(kind, new CreateIdentityRequest(role, command.Option("functions"), command.Option("description")), cancellationToken);
            if (command.Output == OutputFormat.Json)
            {
                JsonOutput.Write(context.Out, created);
                return ExitCodes.Success;
            }

            if (created.Token is { } token)
            {
                context.Out.WriteLine(token);
            }
            else
            {
                context.Out.WriteLine($"AWS_ACCESS_KEY_ID={created.Identity.Id}");
                context.Out.WriteLine($"AWS_SECRET_ACCESS_KEY={created.SecretAccessKey}");
            }

            context.Error.WriteLine($"created {noun} {created.Identity.Id} with role {role}{(created.Identity.Functions is { } f ? $" for functions '{f}'" : "")}; " +
                "its secret is shown only now");
            return ExitCodes.Success;
        });

    private static CommandSpec List(string kind, string summary) => new(
        $"{kind} list", summary, [],
        [CommonOptions.Output, CommonOptions.Url, CommonOptions.Timeout],
        async (command, context, cancellationToken) =>
        {
            using var api = context.CreateClient(command);
            var identities = await api.ListIdentitiesAsync(kind, cancellationToken);
            if (command.Output == OutputFormat.Json)
            {
                JsonOutput.Write(context.Out, identities);
                return ExitCodes.Success;
            }

            var table = new Table("ID", "ROLE", "FUNCTIONS", "CREATED", "BY", "STATE", "DESCRIPTION");
            foreach (var identity in identities)
            {
                table.AddRow(identity.Id, identity.Role, identity.Functions ?? "*", Formats.ShortTime(identity.CreatedAt), identity.CreatedBy,
                    identity.RevokedAt is { } revoked ? $"revoked {Formats.ShortTime(revoked)}" : "active", identity.Description ?? "");
            }

            table.WriteTo(context.Out);
            return ExitCodes.Success;
        });

    private static CommandSpec Revoke(string kind, string noun, string summary) => new(
        $"{kind} revoke", summary, [new ArgumentSpec("ID", $"The {noun}'s id")],
        [CommonOptions.Url, CommonOptions.Timeout],
        async (command, context, cancellationToken) =>
        {
            var id = command.Argument("ID");
            using var api = context.CreateClient(command);
            await api.RevokeIdentityAsync(kind, id, cancellationToken);
            context.Error.WriteLine($"revoked {noun} {id}");
            return ExitCodes.Success;
        });
}
