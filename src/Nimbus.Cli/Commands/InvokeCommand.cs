using System.Text;
using System.Text.Json;
using Nimbus.Cli.Api;
using Nimbus.Cli.Arguments;
using Nimbus.Cli.Output;
using Nimbus.Core.Functions;

namespace Nimbus.Cli.Commands;

internal static class InvokeCommand
{
    public const string DefaultPayload = "{}";

    public static readonly CommandSpec Spec = new(
        "invoke",
        "Invoke a function and print its response (with --async: queue the event and print its request id)",
        [new ArgumentSpec("NAME[:QUALIFIER]", "Function, optionally at a version or alias (orders, orders:3, orders:live)")],
        [
            new OptionSpec("payload", "p", "JSON|@FILE|-", "Event payload: inline JSON, @file to read a file, - to read stdin (default {})"),
            InvokeAsyncOption.Spec,
            CommonOptions.Output,
            CommonOptions.Url,
        ],
        RunAsync);

    private static async Task<int> RunAsync(ParsedCommand command, CliContext context, CancellationToken cancellationToken)
    {
        var target = command.Argument("NAME[:QUALIFIER]");
        var (name, qualifier) = Qualifier.Split(target);
        if (name.Length == 0 || qualifier is { Length: 0 })
        {
            throw command.Invalid("NAME[:QUALIFIER]", target, "expected a function name, optionally followed by :version or :alias");
        }

        var output = command.Output;
        var payload = await ReadPayloadAsync(command.Option("payload"), context, cancellationToken);
        using var api = context.CreateClient(command);
        if (command.Flag(InvokeAsyncOption.Spec.Name))
        {
            return await InvokeAsyncOption.RunAsync(api, name, qualifier, payload, output, context, cancellationToken);
        }

        var result = await api.InvokeAsync(name, qualifier, payload, cancellationToken);
        var body = Encoding.UTF8.GetString(result.Payload);
        if (output == OutputFormat.Json)
        {
            JsonOutput.Write(context.Out, new
            {
                requestId = result.RequestId,
                executedVersion = result.ExecutedVersion,
                coldStart = result.ColdStart,
                initDurationMs = result.InitDurationMs,
                durationMs = result.DurationMs,
                functionError = result.FunctionError,
                payload = AsJson(body),
            });
        }
        else
        {
            context.Out.Write(body);
            if (body.Length > 0 && !body.EndsWith('\n'))
            {
                context.Out.WriteLine();
            }

            context.Error.WriteLine(Summary(result));
            if (result.FunctionError is { } functionError)
            {
                context.Error.WriteLine($"nimbus: function error ({functionError})");
            }
        }

        return result.FunctionError is null ? ExitCodes.Success : ExitCodes.Failed;
    }

    internal static string Summary(InvokeResult result)
    {
        var parts = new List<string> { $"request {result.RequestId ?? "-"}", $"version {result.ExecutedVersion ?? "-"}" };
        if (result.ColdStart)
        {
            parts.Add(result.InitDurationMs is { } init ? $"cold start (init {Formats.Number(init)} ms)" : "cold start");
        }

        if (result.DurationMs is { } duration)
        {
            parts.Add($"duration {Formats.Number(duration)} ms");
        }

        return string.Join("  ", parts);
    }

    private static async Task<byte[]> ReadPayloadAsync(string? option, CliContext context, CancellationToken cancellationToken)
    {
        switch (option)
        {
            case null:
                return Encoding.UTF8.GetBytes(DefaultPayload);
            case "-":
                using (var input = context.OpenInput())
                using (var buffer = new MemoryStream())
                {
                    await input.CopyToAsync(buffer, cancellationToken);
                    return buffer.ToArray();
                }

            case var file when file.StartsWith('@'):
                try
                {
                    return await File.ReadAllBytesAsync(context.FullPath(file[1..]), cancellationToken);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw new UsageException($"cannot read payload file {file[1..]}: {e.Message}");
                }

            default:
                return Encoding.UTF8.GetBytes(option);
        }
    }

    /// <summary>The response as JSON when it is JSON, else as a string, so <c>--output json</c> is always valid JSON.</summary>
    private static object AsJson(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return body;
        }
    }
}
