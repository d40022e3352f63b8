namespace Nimbus.Cli.Output;

/// <summary>A one-line chart: one block character per value, scaled from the smallest to the largest; gaps stay blank.</summary>
internal static class Sparkline
{
    private const string Blocks = "▁▂▃▄▅▆▇█";

    /// <summary>
    /// Renders <paramref name="values"/>, at most <paramref name="width"/> characters: longer series are folded by
    /// taking the largest value of each run of neighbours, so a spike stays visible.
    /// </summary>
    public static string Render(IReadOnlyList<double?> values, int width = 60)
    {
        var folded = Fold(values, width);
        var present = folded.Where(v => v is not null).Select(v => v!.Value).ToList();
        if (present.Count == 0)
        {
            return "";
        }

        var (min, max) = (Math.Min(0, present.Min()), present.Max());
        var chars = folded.Select(v => v is not { } value
            ? ' '
            : max <= min ? Blocks[0] : Blocks[(int)Math.Round((value - min) / (max - min) * (Blocks.Length - 1))]);
        return new string([.. chars]).TrimEnd();
    }

    private static List<double?> Fold(IReadOnlyList<double?> values, int width)
    {
        if (values.Count <= width)
        {
            return [.. values];
        }

        var per = (int)Math.Ceiling(values.Count / (double)width);
        var folded = new List<double?>();
        for (var i = 0; i < values.Count; i += per)
        {
            var run = values.Skip(i).Take(per).Where(v => v is not null).ToList();
            folded.Add(run.Count == 0 ? null : run.Max());
        }

        return folded;
    }
}
