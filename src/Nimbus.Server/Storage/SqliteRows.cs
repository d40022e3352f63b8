using System.Data;
using Nimbus.Core.Functions;
using Nimbus.Core.Invocations;
using Nimbus.Core.Logs;

namespace Nimbus.Server.Storage;

/// <summary>
/// Column lists and the matching row readers of <see cref="SqliteStore"/>. Each reader relies on the column order of
/// its list, so a query selects exactly that list.
/// </summary>
internal static class SqliteRows
{
    public const string FunctionColumns = "config, code_sha256, code_size, revision, created_at, updated_at";
    public const string VersionColumns = "function_name, number, config, code_sha256, code_size, description, created_at";
    public const string AliasColumns = "function_name, name, version, additional_version, additional_weight, description, updated_at";
    public const string ProvisionedConcurrencyColumns = "function_name, qualifier, count";
    public const string LogColumns = "id, time, function_name, version, request_id, trace_id, level, stream, message, fields_json, frame, start_id, start_time";

    public const string InvocationColumns =
        "request_id, function_name, version, alias, started_at, duration_ms, init_duration_ms, cold_start, outcome, error_type, max_memory_used_mb, trace_id";

    public static FunctionRecord Function(IDataRecord row) => new(
        FunctionConfigJson.Deserialize(row.GetString(0)),
        NullableString(row, 1),
        row.GetInt64(2),
        row.GetInt64(3),
        Time(row, 4),
        Time(row, 5));

    public static VersionRecord Version(IDataRecord row) => new(
        row.GetString(0),
        checked((int)row.GetInt64(1)),
        FunctionConfigJson.Deserialize(row.GetString(2)),
        row.GetString(3),
        row.GetInt64(4),
        NullableString(row, 5),
        Time(row, 6));

    public static AliasRecord Alias(IDataRecord row) => new(
        row.GetString(0),
        row.GetString(1),
        checked((int)row.GetInt64(2)),
        row.IsDBNull(3) ? null : checked((int)row.GetInt64(3)),
        row.GetDouble(4),
        NullableString(row, 5),
        Time(row, 6));

    public static ProvisionedConcurrencyRecord ProvisionedConcurrency(IDataRecord row) =>
        new(row.GetString(0), row.GetString(1), checked((int)row.GetInt64(2)));

    public static LogRecord Log(IDataRecord row) => new(
        row.GetInt64(0),
        Time(row, 1),
        row.GetString(2),
        row.GetString(3),
        NullableString(row, 4),
        NullableString(row, 5),
        row.GetString(6),
        row.GetString(7),
        row.GetString(8),
        NullableString(row, 9));

    /// <summary>A stored log row (<see cref="LogColumns"/>): a line, or an invocation's folded platform lines.</summary>
    public static LogRow LogRow(IDataRecord row)
    {
        var line = Log(row);
        var frame = row.IsDBNull(10) ? StoredFrame.None : (StoredFrame)row.GetInt64(10);
        return frame == StoredFrame.StartEndReport && !row.IsDBNull(11) && !row.IsDBNull(12)
            ? new LogRow(line.Id, line, frame, row.GetInt64(11), Time(row, 12))
            : new LogRow(line.Id, line, frame == StoredFrame.StartEndReport ? StoredFrame.EndReport : frame);
    }

    public static InvocationRecord Invocation(IDataRecord row) => new(
        row.GetString(0),
        row.GetString(1),
        row.GetString(2),
        NullableString(row, 3),
        Time(row, 4),
        row.GetDouble(5),
        row.IsDBNull(6) ? null : row.GetDouble(6),
        row.GetInt64(7) != 0,
        Enum.Parse<InvocationOutcome>(row.GetString(8)),
        NullableString(row, 9),
        row.GetInt64(10),
        NullableString(row, 11));

    public static long ToUnixMs(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    private static readonly Dictionary<InvocationOutcome, string> s_outcomeTexts = Enum.GetValues<InvocationOutcome>().ToDictionary(o => o, o => o.ToString());

    /// <summary>An outcome as the stores write it (its name), without formatting the enum per row.</summary>
    public static string OutcomeText(InvocationOutcome outcome) => s_outcomeTexts.TryGetValue(outcome, out var text) ? text : outcome.ToString();

    /// <summary>What the store would give back for <paramref name="time"/>: UTC, truncated to the millisecond.</summary>
    public static DateTimeOffset Truncate(DateTimeOffset time) => DateTimeOffset.FromUnixTimeMilliseconds(time.ToUnixTimeMilliseconds());

    private static DateTimeOffset Time(IDataRecord row, int ordinal) => DateTimeOffset.FromUnixTimeMilliseconds(row.GetInt64(ordinal));

    private static string? NullableString(IDataRecord row, int ordinal) => row.IsDBNull(ordinal) ? null : row.GetString(ordinal);
}
