using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Nimbus.Core.Queues;

/// <summary>
/// Lambda's SQS event (<c>{"Records":[…]}</c>), so an existing Lambda SQS handler runs unchanged. Pure.
/// </summary>
public static class SqsEvent
{
    public const string EventSource = "aws:sqs";

    public static string QueueArn(string region, string accountId, string queueName) => $"arn:aws:sqs:{region}:{accountId}:{queueName}";

    /// <summary>SQS's <c>md5OfBody</c>: the MD5 of the body's UTF-8 bytes in lower-case hex (an identity, not security).</summary>
    public static string Md5OfBody(string body)
    {
        ArgumentNullException.ThrowIfNull(body);
#pragma warning disable CA5351 // MD5 is what SQS's md5OfBody is; it is a checksum here.
        return Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(body)));
#pragma warning restore CA5351
    }

    public static byte[] Build(IReadOnlyList<QueueMessage> messages, string region, string accountId)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var buffer = new ArrayBufferWriter<byte>(512 * Math.Max(1, messages.Count));
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("Records");
            foreach (var message in messages)
            {
                WriteRecord(writer, message, region, accountId);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteRecord(Utf8JsonWriter writer, QueueMessage message, string region, string accountId)
    {
        writer.WriteStartObject();
        writer.WriteString("messageId", message.MessageId);
        writer.WriteString("receiptHandle", message.ReceiptHandle ?? "");
        writer.WriteString("body", message.Body);
        writer.WriteStartObject("attributes");
        writer.WriteString("ApproximateReceiveCount", message.ReceiveCount.ToString(CultureInfo.InvariantCulture));
        writer.WriteString("SentTimestamp", Millis(message.SentAt));
        writer.WriteString("SenderId", accountId);
        writer.WriteString("ApproximateFirstReceiveTimestamp", Millis(message.FirstReceivedAt ?? message.SentAt));
        if (message.TraceParent is { } traceParent)
        {
            // SQS carries the trace as AWSTraceHeader; Nimbus's traces are W3C, handed over as they are.
            writer.WriteString("AWSTraceHeader", traceParent);
        }

        writer.WriteEndObject();
        writer.WritePropertyName("messageAttributes");
        writer.WriteStartObject();
        foreach (var (name, value) in message.MessageAttributes ?? new Dictionary<string, string>())
        {
            writer.WriteStartObject(name);
            writer.WriteString("stringValue", value);
            writer.WriteStartArray("stringListValues");
            writer.WriteEndArray();
            writer.WriteStartArray("binaryListValues");
            writer.WriteEndArray();
            writer.WriteString("dataType", "String");
            writer.WriteEndObject();
        }

        writer.WriteEndObject();

        writer.WriteString("md5OfBody", Md5OfBody(message.Body));
        writer.WriteString("eventSource", EventSource);
        writer.WriteString("eventSourceARN", QueueArn(region, accountId, message.QueueName));
        writer.WriteString("awsRegion", region);
        writer.WriteEndObject();
    }

    private static string Millis(DateTimeOffset time) => time.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
}
