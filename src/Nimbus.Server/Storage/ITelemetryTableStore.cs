using Nimbus.Core.Telemetry;

namespace Nimbus.Server.Storage;

/// <summary>A store that holds telemetry tables the retention pruner bounds (<see cref="TelemetryTable"/>).</summary>
public interface ITelemetryTableStore
{
    /// <summary>Deletes at most <paramref name="limit"/> rows of the table older than the cutoff; returns how many went.</summary>
    Task<int> DeleteTelemetryOlderThanAsync(TelemetryTable table, DateTimeOffset cutoff, int limit, CancellationToken cancellationToken);

    /// <summary>Deletes the <paramref name="count"/> earliest stored rows of the table; returns how many went.</summary>
    Task<int> DeleteOldestTelemetryAsync(TelemetryTable table, int count, CancellationToken cancellationToken);

    /// <summary>The table's rows and the bytes it takes in the store.</summary>
    Task<TableUsage> MeasureTelemetryAsync(TelemetryTable table, CancellationToken cancellationToken);
}
