using Nimbus.Cli.Arguments;
using Nimbus.Cli.Auth;

namespace Nimbus.Cli.Commands;

internal static class LoginCommand
{
    public static readonly CommandSpec Spec = new(
        "login",
        "Save a token for a server (read from stdin, never an argument) in ~/.config/nimbus/profiles.json",
        [],
        [CommonOptions.Url, new OptionSpec("token-stdin", null, null, "Read the token from standard input (required)")],
        RunAsync);

    private static async Task<int> RunAsync(ParsedCommand command, CliContext context, CancellationToken cancellationToken)
    {
        if (command.Option("url") is null)
        {
            throw new UsageException("login needs --url URL: the server the token is for");
        }

        if (!command.Flag("token-stdin"))
        {
            throw new UsageException("login needs --token-stdin: pipe the token in (a token on the command line would land in shell history)");
        }

        var url = context.ResolveUrl(command);
        using var reader = new StreamReader(context.OpenInput());
        var token = (await reader.ReadToEndAsync(cancellationToken)).Trim();
        if (token.Length == 0 || token.Any(char.IsWhiteSpace))
        {
            throw new UsageException("no token on standard input (expected one line, e.g. from `nimbus tokens create`)");
        }

        var profiles = new ProfileStore(context.GetEnvironmentVariable);
        profiles.Save(new Profile(ProfileStore.Normalize(url), token));
        context.Error.WriteLine($"saved a token for {ProfileStore.Normalize(url)} in {profiles.FilePath}");
        return ExitCodes.Success;
    }
}
