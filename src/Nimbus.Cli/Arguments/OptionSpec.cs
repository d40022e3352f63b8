namespace Nimbus.Cli.Arguments;

/// <summary>An option a verb accepts.</summary>
/// <param name="Name">Long name without the dashes (<c>file</c> for <c>--file</c>).</param>
/// <param name="Short">One-letter alias without the dash (<c>f</c> for <c>-f</c>), if any.</param>
/// <param name="ValueName">Placeholder shown in help for the value; null for a flag that takes none.</param>
public sealed record OptionSpec(string Name, string? Short, string? ValueName, string Description, bool Repeatable = false)
{
    public bool TakesValue => ValueName is not null;

    public string Usage =>
        (Short is null ? "" : $"-{Short}, ") + $"--{Name}" + (ValueName is null ? "" : $" {ValueName}");
}
