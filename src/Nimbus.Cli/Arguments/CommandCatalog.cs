namespace Nimbus.Cli.Arguments;

/// <summary>All verbs <c>nimbus</c> knows, in the order help lists them.</summary>
internal sealed class CommandCatalog(IReadOnlyList<CommandSpec> commands)
{
    public IReadOnlyList<CommandSpec> Commands { get; } = commands;

    public CommandSpec? Find(string name) => Commands.FirstOrDefault(c => c.Name == name);

    /// <summary>True for the first word of two-word verbs (<c>functions</c> in <c>functions list</c>).</summary>
    public bool IsGroup(string word) => Commands.Any(c => c.Name.StartsWith(word + " ", StringComparison.Ordinal));

    public IReadOnlyList<string> Subcommands(string group) =>
        [.. Commands.Where(c => c.Name.StartsWith(group + " ", StringComparison.Ordinal)).Select(c => c.Name[(group.Length + 1)..])];

    public IReadOnlyList<CommandSpec> InGroup(string group) =>
        [.. Commands.Where(c => c.Name.StartsWith(group + " ", StringComparison.Ordinal))];

    /// <summary>An option of any verb, by token (<c>--url</c>, <c>--url=x</c>, <c>-o</c>); used for options written before the verb.</summary>
    public OptionSpec? FindAnyOption(string token)
    {
        var name = token.TrimStart('-');
        var equals = name.IndexOf('=');
        name = equals >= 0 ? name[..equals] : name;
        var isLong = token.StartsWith("--", StringComparison.Ordinal);
        return Commands.SelectMany(c => c.Options).FirstOrDefault(o => isLong ? o.Name == name : o.Short == name);
    }
}
