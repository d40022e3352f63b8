namespace Nimbus.Cli.Arguments;

/// <summary>A positional argument of a verb, in order; <paramref name="Optional"/> ones come last.</summary>
public sealed record ArgumentSpec(string Name, string Description, bool Optional = false);
