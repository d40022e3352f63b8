using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Nimbus.Server.Storage;

/// <summary>
/// One statement of a writer connection, prepared once and run for every row of every telemetry batch, with values bound
/// by position. Microsoft.Data.Sqlite's commands look each parameter up by name and convert it and every text value to a
/// UTF-8 copy on every execution, and open a data reader per row; on the telemetry writer that binding was a fifth of its
/// CPU (docs/design/warm-path.md). Text is encoded to UTF-8 into a pinned scratch buffer and bound in place. The binds call the bundled
/// SQLite directly with the statement's raw pointer (<see cref="SqliteNative"/>): SQLitePCL's wrappers add a SafeHandle
/// reference count and an interface call to each, 0.3–0.6 µs per row of ~20 values here.
/// </summary>
/// <remarks>Not thread-safe: used only under its store's write lock, inside the store's transaction.</remarks>
internal sealed class SqliteBatchStatement : IDisposable
{
    private readonly sqlite3 _database;
    private readonly sqlite3_stmt _statement;
    private readonly IntPtr _handle;

    /// <summary>
    /// The current row's text values in UTF-8, bound without a copy (<c>SQLITE_STATIC</c>): pinned, so the pointers stay
    /// valid until the row has run, and reused from the start for the next row.
    /// </summary>
    private readonly byte[] _scratch = GC.AllocateUninitializedArray<byte>(ScratchBytes, pinned: true);

    private int _scratchUsed;

    /// <summary>Bit i set: parameter i was bound for the current row. Every row binds every one (see <see cref="Execute"/>).</summary>
    private ulong _bound;

    private readonly ulong _everyParameter;
    private bool _referenced;

    private const int ScratchBytes = 16 * 1024;

    public SqliteBatchStatement(SqliteConnection connection, string sql)
    {
        _database = connection.Handle ?? throw new InvalidOperationException("The connection is not open");
        var rc = raw.sqlite3_prepare_v2(_database, sql, out _statement);
        SqliteException.ThrowExceptionForRC(rc, _database);
        // Held until Dispose, so the raw pointer stays valid for as long as this object binds through it.
        _statement.DangerousAddRef(ref _referenced);
        _handle = _statement.DangerousGetHandle();
        var parameters = raw.sqlite3_bind_parameter_count(_statement);
        if (parameters > 63)
        {
            throw new ArgumentException($"A batch statement binds at most 63 values; this one has {parameters}", nameof(sql));
        }

        _everyParameter = (2UL << parameters) - 2;
    }

    /// <param name="index">1-based, as SQLite counts parameters.</param>
    public unsafe void Text(int index, string? value)
    {
        _bound |= 1UL << index;
        if (value is null)
        {
            Check(SqliteNative.BindNull(_handle, index));
            return;
        }

        // Most values fit the row's scratch as UTF-8 (the database's encoding): SQLite then neither copies nor converts.
        // A value too long for what is left goes as UTF-16 with a copy, as before.
        if (Encoding.UTF8.TryGetBytes(value, _scratch.AsSpan(_scratchUsed), out var written))
        {
            fixed (byte* scratch = _scratch)
            {
                Check(SqliteNative.BindText(_handle, index, scratch + _scratchUsed, written, SqliteNative.Static));
            }

            _scratchUsed += written;
            return;
        }

        fixed (char* text = value)
        {
            Check(SqliteNative.BindText16(_handle, index, text, value.Length * sizeof(char), SqliteNative.Transient));
        }
    }

    public void Integer(int index, long value) => Check(index, SqliteNative.BindInt64(_handle, index, value));

    public void Integer(int index, long? value) =>
        Check(index, value is { } number ? SqliteNative.BindInt64(_handle, index, number) : SqliteNative.BindNull(_handle, index));

    public void Real(int index, double value) => Check(index, SqliteNative.BindDouble(_handle, index, value));

    public void Real(int index, double? value) =>
        Check(index, value is { } number ? SqliteNative.BindDouble(_handle, index, number) : SqliteNative.BindNull(_handle, index));

    /// <summary>
    /// Runs the statement with the values bound, then resets it for the next row. Every parameter must have been bound
    /// for this row: SQLite keeps a binding across a reset, and a text value left from an earlier row would point into
    /// scratch bytes since overwritten.
    /// </summary>
    public void Execute()
    {
        var complete = _bound == _everyParameter;
        _bound = 0;
        if (!complete)
        {
            _scratchUsed = 0;
            throw new InvalidOperationException("Every parameter of a batch statement must be bound for each row");
        }

        var rc = SqliteNative.Step(_handle);
        SqliteNative.Reset(_handle);
        // The static text values of this row are no longer read once the statement is reset; the next row rebinds every one.
        _scratchUsed = 0;
        if (rc != raw.SQLITE_DONE && rc != raw.SQLITE_ROW)
        {
            SqliteException.ThrowExceptionForRC(rc, _database);
        }
    }

    public void Dispose()
    {
        if (_referenced)
        {
            _referenced = false;
            _statement.DangerousRelease();
        }

        _statement.Dispose();
    }

    private void Check(int index, int rc)
    {
        _bound |= 1UL << index;
        Check(rc);
    }

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(rc, _database);
        }
    }
}

/// <summary>The few entry points of the bundled SQLite (<c>e_sqlite3</c>, the library SQLitePCL loads) the batch statements call directly.</summary>
internal static unsafe partial class SqliteNative
{
    private const string Library = "e_sqlite3";

    /// <summary><c>SQLITE_TRANSIENT</c>: SQLite copies the value before the call returns.</summary>
    public static readonly IntPtr Transient = new(-1);

    /// <summary><c>SQLITE_STATIC</c>: the value stays where it is, unchanged, until the statement is reset or rebound.</summary>
    public static readonly IntPtr Static = IntPtr.Zero;

    [LibraryImport(Library, EntryPoint = "sqlite3_bind_null")]
    public static partial int BindNull(IntPtr statement, int index);

    [LibraryImport(Library, EntryPoint = "sqlite3_bind_int64")]
    public static partial int BindInt64(IntPtr statement, int index, long value);

    [LibraryImport(Library, EntryPoint = "sqlite3_bind_double")]
    public static partial int BindDouble(IntPtr statement, int index, double value);

    [LibraryImport(Library, EntryPoint = "sqlite3_bind_text")]
    public static partial int BindText(IntPtr statement, int index, byte* text, int bytes, IntPtr destructor);

    [LibraryImport(Library, EntryPoint = "sqlite3_bind_text16")]
    public static partial int BindText16(IntPtr statement, int index, char* text, int bytes, IntPtr destructor);

    [LibraryImport(Library, EntryPoint = "sqlite3_step")]
    public static partial int Step(IntPtr statement);

    [LibraryImport(Library, EntryPoint = "sqlite3_reset")]
    public static partial int Reset(IntPtr statement);
}
