namespace Nimbus.Functions;

/// <summary>
/// Writes one JSON object per record to stdout:
/// <c>{"time":"…","level":"INFO","requestId":"…","message":"…", …fields}</c>. Nimbus stores the extra keys as the
/// record's structured fields, so they can be searched and shown per invocation.
/// </summary>
/// <remarks>
/// Records below <c>AWS_LAMBDA_LOG_LEVEL</c> (DEBUG, INFO, WARN or ERROR; INFO when unset) are dropped.
/// The <c>fields</c> argument of each method may be an anonymous object, a record or a dictionary; its properties become
/// top-level keys (camelCase). Keys named <c>time</c>, <c>level</c>, <c>requestId</c> or <c>message</c> are ignored.
/// A value that is not an object is kept under the key <c>fields</c>.
/// </remarks>
public interface IFunctionLogger
{
    /// <summary>Writes a DEBUG record.</summary>
    /// <param name="message">The human-readable message.</param>
    /// <param name="fields">Optional structured fields.</param>
    void Debug(string message, object? fields = null);

    /// <summary>Writes an INFO record.</summary>
    /// <param name="message">The human-readable message.</param>
    /// <param name="fields">Optional structured fields.</param>
    void Info(string message, object? fields = null);

    /// <summary>Writes a WARN record.</summary>
    /// <param name="message">The human-readable message.</param>
    /// <param name="fields">Optional structured fields.</param>
    void Warn(string message, object? fields = null);

    /// <summary>Writes an ERROR record.</summary>
    /// <param name="message">The human-readable message.</param>
    /// <param name="fields">Optional structured fields.</param>
    void Error(string message, object? fields = null);
}
