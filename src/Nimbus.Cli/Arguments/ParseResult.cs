namespace Nimbus.Cli.Arguments;

/// <summary>What the command line asks for: run a verb, or show help (for a verb, a group such as <c>functions</c>, or everything).</summary>
internal sealed record ParseResult(ParsedCommand? Command, bool HelpRequested, string? HelpTopic, bool VersionRequested = false)
{
    public static ParseResult Run(ParsedCommand command) => new(command, false, null);

    public static ParseResult Help(string? topic) => new(null, true, topic);

    public static ParseResult Version() => new(null, false, null, VersionRequested: true);
}
