using Nimbus.Core.Functions;
using Nimbus.Core.Invocations;
using Nimbus.Core.Logs;
using Nimbus.Core.Telemetry;

namespace Nimbus.Server.Storage;

/// <summary>
/// The platform's durable state. SQLite now; PostgreSQL (multi-node) implements the same contract.
/// Methods that concern one function return null (or false) when the function does not exist.
/// </summary>
public interface INimbusStore : ITelemetryTableStore
{
    /// <summary>Creates or migrates the schema. Idempotent.</summary>
    Task InitializeAsync(CancellationToken cancellationToken);

    Task<FunctionRecord?> GetFunctionAsync(string name, CancellationToken cancellationToken);
    Task<IReadOnlyList<FunctionRecord>> ListFunctionsAsync(CancellationToken cancellationToken);

    /// <summary>Creates the function or replaces its configuration; keeps its code; bumps the revision.</summary>
    Task<FunctionRecord> UpsertFunctionConfigAsync(FunctionConfig config, CancellationToken cancellationToken);

    /// <summary>
    /// Like <see cref="UpsertFunctionConfigAsync"/>, but first checks, atomically with the write, that no other
    /// function serves one of the configuration's routes (<see cref="Nimbus.Core.Routing.RouteConflicts"/>); when one
    /// does, writes nothing and returns the conflicts. Of two concurrent writers declaring the same route, on this or
    /// another node, exactly one succeeds.
    /// </summary>
    Task<FunctionUpsertResult> TryUpsertFunctionConfigAsync(FunctionConfig config, CancellationToken cancellationToken);

    /// <summary>
    /// The control-plane change signal: a counter incremented in the same transaction as every write of functions,
    /// code, versions, aliases and provisioned concurrency. Cheap; a node polls it to learn that another node wrote.
    /// </summary>
    Task<long> GetControlGenerationAsync(CancellationToken cancellationToken);

    /// <summary>Points <c>$LATEST</c> at a stored package; bumps the revision only when the code changed.</summary>
    Task<FunctionRecord?> SetFunctionCodeAsync(string name, string codeSha256, long codeSize, CancellationToken cancellationToken);

    /// <summary>Deletes the function with its versions, aliases and provisioned concurrency (logs stay).</summary>
    Task<bool> DeleteFunctionAsync(string name, CancellationToken cancellationToken);

    /// <summary>
    /// Publishes <c>$LATEST</c> as the next version number (atomically). When the newest version already has the
    /// same code and configuration, returns that version instead of creating a new one (as Lambda does).
    /// Throws <see cref="InvalidOperationException"/> when the function has no code yet.
    /// </summary>
    Task<VersionRecord?> PublishVersionAsync(string name, string? description, CancellationToken cancellationToken);

    Task<VersionRecord?> GetVersionAsync(string name, int number, CancellationToken cancellationToken);
    Task<IReadOnlyList<VersionRecord>> ListVersionsAsync(string name, CancellationToken cancellationToken);

    Task<AliasRecord> UpsertAliasAsync(AliasRecord alias, CancellationToken cancellationToken);
    Task<AliasRecord?> GetAliasAsync(string functionName, string aliasName, CancellationToken cancellationToken);
    Task<IReadOnlyList<AliasRecord>> ListAliasesAsync(string functionName, CancellationToken cancellationToken);
    Task<bool> DeleteAliasAsync(string functionName, string aliasName, CancellationToken cancellationToken);

    /// <summary>Sets the warm instance count for a version or alias; 0 removes the setting.</summary>
    Task SetProvisionedConcurrencyAsync(string functionName, string qualifier, int count, CancellationToken cancellationToken);

    /// <summary>Records that a package with this digest exists (idempotent).</summary>
    Task RecordPackageAsync(string sha256, long size, CancellationToken cancellationToken);

    /// <summary>
    /// Reads everything routing needs from one consistent snapshot, with the generation it was read at. A row that
    /// cannot be read is left out and reported in <see cref="RoutingData.Skipped"/>; it never fails the whole load.
    /// </summary>
    Task<RoutingData> LoadRoutingDataAsync(CancellationToken cancellationToken);

    Task AppendLogsAsync(IReadOnlyList<LogRecord> records, CancellationToken cancellationToken);

    /// <summary>
    /// Appends the batch; the folded START/END/REPORT rows <paramref name="storeElsewhere"/> stores are kept there, not here, and are read back from there by a store told where (SqliteStore.ReadPlatformLinesFrom).
    /// </summary>
    Task AppendLogsAsync(IReadOnlyList<LogRecord> records, IPlatformRowStore? storeElsewhere, CancellationToken cancellationToken);
    Task<IReadOnlyList<LogRecord>> QueryLogsAsync(LogQuery query, CancellationToken cancellationToken);

    Task AppendInvocationsAsync(IReadOnlyList<InvocationRecord> records, CancellationToken cancellationToken);
    Task<IReadOnlyList<InvocationRecord>> ListInvocationsAsync(string functionName, int limit, CancellationToken cancellationToken);

}
