namespace Nimbus.Functions.Runtime;

/// <summary>Turns an event payload into a response payload; the returned memory must stay valid until it is posted.</summary>
internal abstract class InvocationHandler
{
    public abstract ValueTask<ReadOnlyMemory<byte>> InvokeAsync(ReadOnlyMemory<byte> payload, IFunctionContext context);
}
