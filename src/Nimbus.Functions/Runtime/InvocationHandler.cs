namespace Nimbus.Functions.Runtime;

/// <summary>Turns an event payload into a response payload; the returned memory must stay valid until it is posted.</summary>
internal abstract class InvocationHandler
{
    public abstract ValueTask<ReadOnlyMemory<byte>> InvokeAsync(ReadOnlyMemory<byte> payload, IFunctionContext context);

    /// <summary>
    /// Set by the runtime loop before it starts several loops on this handler: the answer of one invocation is still
    /// being sent while another is serialised, so no buffer may be shared between invocations.
    /// </summary>
    public bool Concurrent { get; set; }
}
