namespace Nimbus.Server.Storage;

/// <summary>A stored row a store could not read and left out of what it returned (the rest is still returned).</summary>
/// <param name="Table">The table, e.g. <c>functions</c>.</param>
/// <param name="Key">The row's key, e.g. the function name or <c>name:3</c>.</param>
/// <param name="Reason">Why it could not be read; for the server log, not for callers.</param>
public sealed record StoredRowIssue(string Table, string Key, string Reason);
