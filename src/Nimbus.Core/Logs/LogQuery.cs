namespace Nimbus.Core.Logs;

/// <summary>A filter over stored log records. Results come oldest first, at most <see cref="Limit"/>
/// (the newest ones when more match, unless <see cref="AfterId"/> is set, which pages forward for follow).</summary>
public sealed record LogQuery(
    string FunctionName,
    string? RequestId = null,
    DateTimeOffset? Since = null,
    DateTimeOffset? Until = null,
    string? Level = null,
    string? Text = null,
    long? AfterId = null,
    int Limit = 1000)
{
    /// <summary>Only records of this trace (32 lowercase hex digits): every invocation of a cross-function trace.</summary>
    public string? TraceId { get; init; }
}
