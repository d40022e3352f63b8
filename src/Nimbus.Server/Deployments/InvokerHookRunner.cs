using System.Text.Json;
using Microsoft.Extensions.Logging;
using Nimbus.Core.Deployments;
using Nimbus.Core.Invocations;
using Nimbus.Server.Invocations;
using Nimbus.Server.Storage;

namespace Nimbus.Server.Deployments;

/// <summary>
/// Invokes a hook function in the background with <c>{deploymentId, hookExecutionId, functionName, alias, fromVersion,
/// toVersion}</c>. An answer <c>{"status":"Succeeded"}</c> or <c>{"status":"Failed"}</c>, or a function error, is the
/// hook's report; any other answer leaves the report to <c>PUT /api/v1/deployments/{id}/hooks/{hookExecutionId}</c>.
/// </summary>
public sealed partial class InvokerHookRunner(Invoker invoker, IDeploymentStore store, ILogger<InvokerHookRunner> logger) : IDeploymentHookRunner
{
    public void Start(Deployment deployment, HookInvocation hook) => _ = RunAsync(deployment, hook, CancellationToken.None);

    private async Task RunAsync(Deployment deployment, HookInvocation hook, CancellationToken cancellationToken)
    {
        try
        {
            var payload = JsonSerializer.SerializeToUtf8Bytes(new HookPayload(deployment.Id, hook.HookExecutionId, deployment.FunctionName,
                deployment.Alias, deployment.FromVersion.ToString(System.Globalization.CultureInfo.InvariantCulture),
                deployment.ToVersion.ToString(System.Globalization.CultureInfo.InvariantCulture)), HookJsonContext.Default.HookPayload);
            var answer = await invoker.InvokeAsync(new InvocationCall
            {
                FunctionName = hook.FunctionName,
                Payload = payload,
                Source = InvocationSource.Hook,
            }, cancellationToken).ConfigureAwait(false);
            var status = answer.Result switch
            {
                null => HookStatus.Failed,
                { Outcome: not InvocationOutcome.Success } => HookStatus.Failed,
                { Body: var body } => ReadStatus(body),
            };
            if (status is { } reported)
            {
                await store.RecordHookResultAsync(deployment.Id, hook.HookExecutionId, reported, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            Log.HookFailed(logger, hook.FunctionName, deployment.Id, exception);
        }
    }

    private static HookStatus? ReadStatus(ReadOnlyMemory<byte> body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("status", out var status) && status.ValueKind == JsonValueKind.String
                && status.GetString() is nameof(HookStatus.Succeeded) or nameof(HookStatus.Failed))
            {
                return Enum.Parse<HookStatus>(status.GetString()!);
            }
        }
        catch (JsonException)
        {
            // Not JSON: the hook reports through the API instead.
        }

        return null;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 4101, Level = LogLevel.Warning, Message = "Hook {HookFunction} of deployment {DeploymentId} could not be invoked")]
        public static partial void HookFailed(ILogger logger, string hookFunction, string deploymentId, Exception exception);
    }
}
