namespace Nimbus.Core.Sandbox;

/// <summary>
/// The numeric uids (and equal gids) given to functions: allocated one after another from <see cref="First"/>, never
/// reused for another function name. Above the 16-bit range and the usual 100000+65536 subordinate-id blocks, so they
/// collide neither with the host's accounts nor with the ids rootless containers map.
/// </summary>
public static class FunctionUserRange
{
    public const int First = 200_000;
    public const int Count = 1_000_000;

    /// <summary>The uid after the highest one handed out so far (<paramref name="highest"/> null: none yet).</summary>
    /// <exception cref="InvalidOperationException">The range is used up.</exception>
    public static int Next(int? highest)
    {
        var next = highest is { } h ? Math.Max(h + 1, First) : First;
        return next < First + Count ? next : throw new InvalidOperationException($"all {Count} function uids from {First} are allocated");
    }
}
