namespace Nimbus.Server.Storage;

/// <summary>
/// A table that grows with traffic and is pruned by retention. The store needs to know where a row's time is, and the
/// column that leads the index on that time (<c>(function_name, time)</c>), so that deleting by age walks the index
/// instead of the table. Rows are otherwise removed earliest stored first (rowid order).
/// </summary>
/// <param name="Name">The table, as in the schema.</param>
/// <param name="TimeColumn">Unix time of the row: milliseconds in <c>nimbus.db</c>, microseconds in <c>observability.db</c> (each store converts).</param>
/// <param name="PartitionColumn">The first column of the index on (<paramref name="PartitionColumn"/>, <paramref name="TimeColumn"/>).</param>
public sealed record TelemetryTable(string Name, string TimeColumn, string PartitionColumn)
{
    public static readonly TelemetryTable Logs = new("logs", "time", "function_name");
    /// <summary>Invocation records written before schema 5 of <c>observability.db</c>, in <c>nimbus.db</c> (read, no longer written).</summary>
    public static readonly TelemetryTable Invocations = new("invocations", "started_at", "function_name");

    /// <summary>Invocation records and their spans, in <c>observability.db</c> (see <c>SqliteObservabilityStore.InvocationSpans</c>).</summary>
    public static readonly TelemetryTable InvocationSpans = new("invocation_spans", "start", "function");
}
