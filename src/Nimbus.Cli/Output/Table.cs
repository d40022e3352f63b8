using System.Text;

namespace Nimbus.Cli.Output;

/// <summary>
/// A plain aligned text table: columns separated by two spaces, padded to their widest cell, no trailing spaces.
/// Numeric columns may be right-aligned.
/// </summary>
internal sealed class Table(params string[] headers)
{
    private readonly string[] _headers = headers;
    private readonly List<string[]> _rows = [];
    private readonly HashSet<int> _rightAligned = [];

    public bool ShowHeaders { get; init; } = true;

    public Table AlignRight(params int[] columns)
    {
        _rightAligned.UnionWith(columns);
        return this;
    }

    public Table AddRow(params string?[] cells)
    {
        if (cells.Length != _headers.Length)
        {
            throw new ArgumentException($"a row needs {_headers.Length} cells, got {cells.Length}", nameof(cells));
        }

        _rows.Add([.. cells.Select(c => c ?? "")]);
        return this;
    }

    public override string ToString()
    {
        var lines = ShowHeaders ? _rows.Prepend(_headers).ToList() : _rows;
        var widths = Enumerable.Range(0, _headers.Length).Select(c => lines.Count == 0 ? 0 : lines.Max(l => l[c].Length)).ToArray();
        var text = new StringBuilder();
        foreach (var line in lines)
        {
            var row = new StringBuilder();
            for (var c = 0; c < line.Length; c++)
            {
                if (c > 0)
                {
                    row.Append("  ");
                }

                var isLast = c == line.Length - 1;
                row.Append(_rightAligned.Contains(c) ? line[c].PadLeft(widths[c]) : isLast ? line[c] : line[c].PadRight(widths[c]));
            }

            text.Append(row.ToString().TrimEnd()).Append('\n');
        }

        return text.ToString();
    }

    public void WriteTo(TextWriter output) => output.Write(ToString());
}
