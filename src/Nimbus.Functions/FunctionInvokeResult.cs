using System.Text;

namespace Nimbus.Functions;

/// <summary>What a call to another function answered.</summary>
/// <param name="StatusCode">200 for a sync call that ran (even if the function failed), 202 for an accepted event.</param>
/// <param name="FunctionError">Set when the called function failed (<c>Unhandled</c>); <see cref="Payload"/> is then its error JSON.</param>
/// <param name="ExecutedVersion">The version that ran (sync calls).</param>
/// <param name="Payload">The function's response (empty for an event).</param>
public sealed record FunctionInvokeResult(int StatusCode, string? FunctionError, string? ExecutedVersion, ReadOnlyMemory<byte> Payload)
{
    /// <summary>The response as UTF-8 text.</summary>
    public string PayloadText => Encoding.UTF8.GetString(Payload.Span);
}
