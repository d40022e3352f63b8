namespace Nimbus.Cli.Arguments;

/// <summary>A verb: its name (one or two words, e.g. <c>functions list</c>), what it takes, and what runs it.</summary>
internal sealed record CommandSpec(
    string Name,
    string Summary,
    IReadOnlyList<ArgumentSpec> Arguments,
    IReadOnlyList<OptionSpec> Options,
    Func<ParsedCommand, CliContext, CancellationToken, Task<int>> Handler)
{
    public string Usage =>
        string.Join(' ', new[] { "nimbus", Name }.Concat(Arguments.Select(a => a.Optional ? $"[{a.Name}]" : a.Name))) + (Options.Count > 0 ? " [options]" : "");

    public OptionSpec? FindOption(string name) => Options.FirstOrDefault(o => o.Name == name);

    public OptionSpec? FindShortOption(string letter) => Options.FirstOrDefault(o => o.Short == letter);
}
