namespace Nimbus.Functions.Runtime;

internal sealed class RawInvocationHandler(
    Func<ReadOnlyMemory<byte>, IFunctionContext, ValueTask<ReadOnlyMemory<byte>>> handler) : InvocationHandler
{
    public override ValueTask<ReadOnlyMemory<byte>> InvokeAsync(ReadOnlyMemory<byte> payload, IFunctionContext context) =>
        handler(payload, context);
}
