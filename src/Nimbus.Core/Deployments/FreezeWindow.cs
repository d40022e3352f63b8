namespace Nimbus.Core.Deployments;

/// <summary>A time during which deployments do not start unless forced: from <see cref="Start"/> (inclusive) to <see cref="End"/> (exclusive).</summary>
public sealed record FreezeWindow(DateTimeOffset Start, DateTimeOffset End, string? Reason)
{
    public bool Contains(DateTimeOffset instant) => instant >= Start && instant < End;
}
