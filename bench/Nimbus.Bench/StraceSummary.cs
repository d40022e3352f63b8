using System.Globalization;

namespace Nimbus.Bench;

/// <summary>Reads the table of <c>strace -c</c>: calls per system call (the <c>total</c> row left out).</summary>
public static class StraceSummary
{
    public static Dictionary<string, long> Parse(string text)
    {
        var calls = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var raw in text.Split('\n'))
        {
            // "% time  seconds  usecs/call  calls  [errors]  syscall"; the errors column is blank when there were none.
            var parts = raw.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length < 5 || parts[^1] == "total" || !double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out _))
            {
                continue;
            }
            if (long.TryParse(parts[3], NumberStyles.Integer, CultureInfo.InvariantCulture, out var count))
            {
                calls[parts[^1]] = calls.GetValueOrDefault(parts[^1]) + count;
            }
        }
        return calls;
    }
}
