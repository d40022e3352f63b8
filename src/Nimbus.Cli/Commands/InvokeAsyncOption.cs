using Nimbus.Cli.Api;
using Nimbus.Cli.Arguments;
using Nimbus.Cli.Output;

namespace Nimbus.Cli.Commands;

/// <summary><c>nimbus invoke NAME --async</c>: queue the event (202 means committed) and print its request id.</summary>
internal static class InvokeAsyncOption
{
    public static readonly OptionSpec Spec = new("async", null, null,
        "Queue the event instead of waiting (Lambda's Event invocation): prints the request id once it is stored");

    public static async Task<int> RunAsync(ApiClient api, string name, string? qualifier, byte[] payload, OutputFormat output, CliContext context,
        CancellationToken cancellationToken)
    {
        var requestId = await api.InvokeEventAsync(name, qualifier, payload, cancellationToken);
        if (output == OutputFormat.Json)
        {
            JsonOutput.Write(context.Out, new { requestId, status = 202 });
        }
        else
        {
            context.Out.WriteLine(requestId);
        }

        return ExitCodes.Success;
    }
}
