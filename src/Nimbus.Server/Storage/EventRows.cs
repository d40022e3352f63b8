using System.Data;
using System.Text.Json;
using Nimbus.Core.Events;

namespace Nimbus.Server.Storage;

/// <summary>Column lists and row readers of the async event queue; each reader relies on its list's order.</summary>
internal static class EventRows
{
    public const string EventColumns =
        "id, function_name, qualifier, payload, request_id, traceparent, enqueued_at, failed_attempts, postponements, " +
        "next_visible_at, state, lease_owner, lease_expires_at, history, redrives, key_header, key_value";

    public const string DeadLetterColumns =
        "id, function_name, qualifier, payload, request_id, traceparent, enqueued_at, dead_lettered_at, condition, error_type, " +
        "error_message, history, redrives";

    public static AsyncEvent Event(IDataRecord row) => new(
        row.GetString(0),
        row.GetString(1),
        NullableString(row, 2),
        (byte[])row.GetValue(3),
        row.GetString(4),
        NullableString(row, 5),
        Time(row.GetInt64(6)),
        checked((int)row.GetInt64(7)),
        checked((int)row.GetInt64(8)),
        Time(row.GetInt64(9)),
        Enum.Parse<AsyncEventState>(row.GetString(10)),
        NullableString(row, 11),
        row.IsDBNull(12) ? null : Time(row.GetInt64(12)),
        ReadHistory(row.GetString(13)),
        checked((int)row.GetInt64(14)),
        row.IsDBNull(15) || row.IsDBNull(16) ? null : new EventHeaderKey(row.GetString(15), row.GetString(16)));

    public static DeadLetter DeadLetter(IDataRecord row) => new(
        row.GetString(0),
        row.GetString(1),
        NullableString(row, 2),
        (byte[])row.GetValue(3),
        row.GetString(4),
        NullableString(row, 5),
        Time(row.GetInt64(6)),
        Time(row.GetInt64(7)),
        row.GetString(8),
        NullableString(row, 9),
        NullableString(row, 10),
        ReadHistory(row.GetString(11)),
        checked((int)row.GetInt64(12)));

    public static string WriteHistory(IReadOnlyList<AsyncAttempt> history) =>
        JsonSerializer.Serialize(history as List<AsyncAttempt> ?? [.. history], EventJsonContext.Default.ListAsyncAttempt);

    public static long ToUnixMs(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    private static List<AsyncAttempt> ReadHistory(string json) =>
        JsonSerializer.Deserialize(json, EventJsonContext.Default.ListAsyncAttempt) ?? [];

    private static DateTimeOffset Time(long unixMs) => DateTimeOffset.FromUnixTimeMilliseconds(unixMs);

    private static string? NullableString(IDataRecord row, int ordinal) => row.IsDBNull(ordinal) ? null : row.GetString(ordinal);
}
