namespace Nimbus.Server.Storage;

/// <summary>
/// A table that grows with traffic and is pruned by retention. The store needs to know where a row's time is, and the
/// column that leads the index on that time (<c>(function_name, time)</c>), so that deleting by age walks the index
/// instead of the table. Rows are otherwise removed earliest stored first (rowid order).
/// </summary>
/// <param name="Name">The table, as in the schema.</param>
/// <param name="TimeColumn">Unix milliseconds of the row.</param>
/// <param name="PartitionColumn">The first column of the index on (<paramref name="PartitionColumn"/>, <paramref name="TimeColumn"/>).</param>
public sealed record TelemetryTable(string Name, string TimeColumn, string PartitionColumn)
{
    public static readonly TelemetryTable Logs = new("logs", "time", "function_name");
    public static readonly TelemetryTable Invocations = new("invocations", "started_at", "function_name");
}
