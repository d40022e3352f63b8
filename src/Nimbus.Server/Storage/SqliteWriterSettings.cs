namespace Nimbus.Server.Storage;

/// <summary>
/// Settings of a store's one long-lived writer connection, which writes the telemetry batches (docs/design/warm-path.md,
/// "The telemetry writer's SQLite work"). Measured on the warm path: with SQLite's defaults (2 MB page cache, a checkpoint
/// every 1,000 WAL pages) every batch re-read index pages it had evicted (<c>pread64</c>) and every few batches paid a
/// checkpoint with two <c>fsync</c>s that copied the same hot pages again.
/// </summary>
public static class SqliteWriterSettings
{
    /// <summary>Page cache of the writer: 64 MB at most (SQLite allocates it as pages are used).</summary>
    public const int CacheKibibytes = 64 * 1024;

    /// <summary>WAL pages before an automatic checkpoint (4 KB pages: ~32 MB of WAL).</summary>
    public const int AutoCheckpointPages = 8192;

    /// <summary>The database file is read through a memory map of up to this size instead of <c>pread64</c>.</summary>
    public const long MemoryMapBytes = 256L * 1024 * 1024;

    /// <summary>The pragmas, run once when the writer connection is opened.</summary>
    public static readonly string Pragmas =
        $"PRAGMA cache_size = -{CacheKibibytes}; PRAGMA wal_autocheckpoint = {AutoCheckpointPages}; PRAGMA mmap_size = {MemoryMapBytes};";
}
