namespace Nimbus.Core.Schedules;

/// <summary>The set of values one cron field allows, between its minimum and maximum.</summary>
public sealed class CronField
{
    private readonly bool[] _allowed;

    internal CronField(int min, int max, bool[] allowed, bool isWildcard)
    {
        Min = min;
        Max = max;
        _allowed = allowed;
        IsWildcard = isWildcard;
    }

    public int Min { get; }

    public int Max { get; }

    /// <summary>True for <c>*</c> or <c>?</c>: every value.</summary>
    public bool IsWildcard { get; }

    public bool Contains(int value) => value >= Min && value <= Max && _allowed[value - Min];

    /// <summary>The allowed values in ascending order.</summary>
    public IEnumerable<int> Values()
    {
        for (var i = 0; i < _allowed.Length; i++)
        {
            if (_allowed[i])
            {
                yield return Min + i;
            }
        }
    }

    internal static CronField All(int min, int max) => new(min, max, Enumerable.Repeat(true, max - min + 1).ToArray(), isWildcard: true);
}
