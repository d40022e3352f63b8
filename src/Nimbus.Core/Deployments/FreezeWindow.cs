using System.Globalization;

namespace Nimbus.Core.Deployments;

/// <summary>
/// A time during which deployments do not start unless forced: from <see cref="Start"/> (inclusive) to <see cref="End"/>
/// (exclusive), for every function or, when <see cref="Function"/> is set, one. <see cref="Id"/> is the server's name for a
/// stored window (<c>nimbus freeze list</c>).
/// </summary>
public sealed record FreezeWindow(DateTimeOffset Start, DateTimeOffset End, string? Reason)
{
    public string? Id { get; init; }

    /// <summary>The function the window freezes; null: every function.</summary>
    public string? Function { get; init; }

    public bool Contains(DateTimeOffset instant) => instant >= Start && instant < End;

    public bool AppliesTo(string function) => Function is null || string.Equals(Function, function, StringComparison.Ordinal);

    /// <summary>How a refusal or a waiting deployment names it: <c>freeze window fw-1 (holidays) until 2026-12-27T00:00:00Z</c>.</summary>
    public string Describe() =>
        $"freeze window{(Id is null ? "" : " " + Id)}{(Reason is null ? "" : $" ({Reason})")} until {End.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)}";

    /// <summary>The first of <paramref name="windows"/> that freezes <paramref name="function"/> at <paramref name="now"/>, if any.</summary>
    public static FreezeWindow? ActiveFor(IEnumerable<FreezeWindow> windows, string function, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(windows);
        return windows.Where(w => w.AppliesTo(function) && w.Contains(now)).OrderBy(w => w.End).LastOrDefault();
    }
}
