using System.Text;

namespace Nimbus.Cli.Output;

/// <summary>Standard output as text, turning a failed write or flush into <see cref="OutputWriteException"/>.</summary>
internal sealed class GuardedTextWriter(TextWriter inner) : TextWriter
{
    private readonly TextWriter _inner = inner;

    public override Encoding Encoding => _inner.Encoding;

    public override IFormatProvider FormatProvider => _inner.FormatProvider;

    public override string NewLine
    {
        get => _inner.NewLine;
#pragma warning disable CS8765 // TextWriter.NewLine's setter accepts null (resets to the default); so does the inner writer.
        set => _inner.NewLine = value;
#pragma warning restore CS8765
    }

    public override void Write(char value) => Guard(() => _inner.Write(value));

    public override void Write(string? value) => Guard(() => _inner.Write(value));

    public override void Write(char[] buffer, int index, int count) => Guard(() => _inner.Write(buffer, index, count));

    public override void WriteLine() => Guard(_inner.WriteLine);

    public override void WriteLine(string? value) => Guard(() => _inner.WriteLine(value));

    public override void Flush() => Guard(_inner.Flush);

    private static void Guard(Action write)
    {
        try
        {
            write();
        }
        catch (IOException e)
        {
            throw new OutputWriteException(e);
        }
    }
}
