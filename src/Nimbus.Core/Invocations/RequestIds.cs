namespace Nimbus.Core.Invocations;

/// <summary>
/// New request ids. Lambda's shape (a lower-case UUID string), generated time-ordered (UUID version 7: 48 bits of Unix
/// milliseconds, then 74 random bits) because the invocation records, log lines and async events are indexed by request
/// id: a batch of new records then lands on the right edge of each index, a few pages, instead of one random page per
/// record (each a read and a write of its own once the index outgrows the page cache).
/// </summary>
public static class RequestIds
{
    public static string New() => Guid.CreateVersion7().ToString();
}
