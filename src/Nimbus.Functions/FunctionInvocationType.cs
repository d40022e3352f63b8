namespace Nimbus.Functions;

/// <summary>How <see cref="IFunctionContext.InvokeAsync(string, string, FunctionInvocationType, CancellationToken)"/> calls another function (Lambda's <c>X-Amz-Invocation-Type</c>).</summary>
public enum FunctionInvocationType
{
    /// <summary>Wait for the function's answer.</summary>
    RequestResponse,

    /// <summary>Queue the event and return once it is accepted (202); the platform retries and routes failures.</summary>
    Event,
}
