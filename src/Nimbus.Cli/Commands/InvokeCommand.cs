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
            CommonOptions.Timeout,
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

        var timeout = api.TimeoutOverride ?? await InvokeTimeoutAsync(api, name, qualifier, cancellationToken);
        var result = await api.InvokeAsync(name, qualifier, payload, timeout, cancellationToken);
        if (output == OutputFormat.Json)
        {
            JsonOutput.Write(context.Out, JsonShape(result));
        }
        else
        {
            // The response's bytes go to stdout unchanged: a function may answer an image, a zip or any encoding.
            context.Out.Flush();
            context.OutStream.Write(result.Payload);
            if (context.OutputIsTerminal && result.Payload.Length > 0 && result.Payload[^1] != (byte)'\n')
            {
                // Only for a person at a terminal, so the prompt starts on its own line; a pipe or file gets the exact bytes.
                context.OutStream.Write("\n"u8);
            }

            context.OutStream.Flush();

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

    /// <summary>
    /// How long to wait for the answer: the function's own timeout plus <see cref="ApiClient.InvokeMargin"/>. With a
    /// qualifier, the longest timeout of <c>$LATEST</c> and every version, since the alias may send the call to any of them.
    /// </summary>
    internal static async Task<TimeSpan> InvokeTimeoutAsync(ApiClient api, string name, string? qualifier, CancellationToken cancellationToken)
    {
        var function = await api.GetFunctionAsync(name, cancellationToken);
        var seconds = function.TimeoutSeconds;
        if (qualifier is not null && qualifier != Qualifier.Latest)
        {
            foreach (var version in await api.ListVersionsAsync(name, cancellationToken))
            {
                seconds = Math.Max(seconds, version.Config.TimeoutSeconds);
            }
        }

        var functionTimeout = double.IsFinite(seconds) && seconds > 0 && seconds <= FunctionConfigValidator.MaxTimeoutSeconds
            ? TimeSpan.FromSeconds(seconds)
            : TimeSpan.FromSeconds(FunctionConfigValidator.MaxTimeoutSeconds);
        return functionTimeout + ApiClient.InvokeMargin;
    }

    /// <summary>
    /// <c>--output json</c> is always valid JSON: the payload embedded as JSON when it is JSON, else as a string when it
    /// is UTF-8 text, else (binary) as <c>payloadBase64</c> with <c>payload</c> null.
    /// </summary>
    private static Dictionary<string, object?> JsonShape(InvokeResult result)
    {
        var shape = new Dictionary<string, object?>
        {
            ["requestId"] = result.RequestId,
            ["executedVersion"] = result.ExecutedVersion,
            ["coldStart"] = result.ColdStart,
            ["initDurationMs"] = result.InitDurationMs,
            ["durationMs"] = result.DurationMs,
            ["functionError"] = result.FunctionError,
        };

        if (!System.Text.Unicode.Utf8.IsValid(result.Payload))
        {
            shape["payload"] = null;
            shape["payloadBase64"] = Convert.ToBase64String(result.Payload);
            return shape;
        }

        var body = Encoding.UTF8.GetString(result.Payload);
        try
        {
            using var document = JsonDocument.Parse(body);
            shape["payload"] = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            shape["payload"] = body;
        }

        return shape;
    }
}
