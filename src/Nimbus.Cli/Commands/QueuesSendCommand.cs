using Nimbus.Cli.Arguments;
using Nimbus.Core.Api;

namespace Nimbus.Cli.Commands;

internal static class QueuesSendCommand
{
    public static readonly CommandSpec Spec = new(
        "queues send",
        "Send a message to a queue",
        [new ArgumentSpec("NAME", "Queue name")],
        [
            new OptionSpec("body", "b", "TEXT|@FILE", "The message body, or @path to read it from a file"),
            new OptionSpec("attribute", "a", "KEY=VALUE", "A string message attribute (repeatable)"),
            new OptionSpec("delay", null, "SECONDS", "Keep the message hidden this long before its first delivery (0-900)"),
            CommonOptions.Output,
            CommonOptions.Url,
        ],
        RunAsync);

    private static async Task<int> RunAsync(ParsedCommand command, CliContext context, CancellationToken cancellationToken)
    {
        var name = command.Argument("NAME");
        var body = command.Option("body") ?? throw new UsageException("queues send needs --body TEXT or --body @FILE");
        if (body.StartsWith('@'))
        {
            try
            {
                body = await File.ReadAllTextAsync(context.FullPath(body[1..]), cancellationToken);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new UsageException($"cannot read message file {body[1..]}: {e.Message}");
            }
        }

        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in command.OptionValues("attribute"))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new UsageException($"--attribute must be KEY=VALUE, was '{pair}'");
            }

            attributes[pair[..equals]] = pair[(equals + 1)..];
        }

        var request = new SendMessageRequest
        {
            Body = body,
            MessageAttributes = attributes.Count > 0 ? attributes : null,
            DelaySeconds = command.IntOption("delay", 0, 900),
        };
        using var api = context.CreateClient(command);
        var result = await api.SendMessagesAsync(name, request, cancellationToken);
        if (command.Output == OutputFormat.Json)
        {
            Output.JsonOutput.Write(context.Out, result);
            return ExitCodes.Success;
        }

        foreach (var sent in result.Successful)
        {
            context.Out.WriteLine(sent.MessageId);
        }

        return ExitCodes.Success;
    }
}
