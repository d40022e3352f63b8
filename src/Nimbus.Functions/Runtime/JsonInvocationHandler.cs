using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Nimbus.Functions.Runtime;

/// <summary>
/// Deserialises the event, runs a typed handler and serialises its result into a buffer reused across invocations (a
/// new array per invocation when several loops share the handler).
/// </summary>
internal sealed class JsonInvocationHandler<TEvent, TResult> : InvocationHandler
{
    private static readonly byte[] s_null = "null"u8.ToArray();

    private readonly Func<TEvent, IFunctionContext, ValueTask<TResult>> _handler;
    private readonly JsonTypeInfo<TEvent> _eventTypeInfo;
    private readonly JsonTypeInfo<TResult> _resultTypeInfo;
    private readonly ArrayBufferWriter<byte> _buffer = new(4096);
    private readonly Utf8JsonWriter _writer;

    public JsonInvocationHandler(
        Func<TEvent, IFunctionContext, ValueTask<TResult>> handler,
        JsonTypeInfo<TEvent> eventTypeInfo,
        JsonTypeInfo<TResult> resultTypeInfo)
    {
        _handler = handler;
        _eventTypeInfo = eventTypeInfo;
        _resultTypeInfo = resultTypeInfo;
        _writer = new Utf8JsonWriter(_buffer, new JsonWriterOptions
        {
            Encoder = resultTypeInfo.Options.Encoder,
            Indented = false,
        });
    }

    public override async ValueTask<ReadOnlyMemory<byte>> InvokeAsync(ReadOnlyMemory<byte> payload, IFunctionContext context)
    {
        // An invocation without a payload reaches the handler as the JSON null of its event type.
        var input = JsonSerializer.Deserialize(payload.IsEmpty ? s_null : payload.Span, _eventTypeInfo);
        var result = await _handler(input!, context).ConfigureAwait(false);
        if (Concurrent)
        {
            return JsonSerializer.SerializeToUtf8Bytes(result, _resultTypeInfo);
        }

        _buffer.ResetWrittenCount();
        _writer.Reset(_buffer);
        JsonSerializer.Serialize(_writer, result, _resultTypeInfo);
        return _buffer.WrittenMemory;
    }
}
