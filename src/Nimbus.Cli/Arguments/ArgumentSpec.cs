namespace Nimbus.Cli.Arguments;

/// <summary>A positional argument of a verb, in order.</summary>
public sealed record ArgumentSpec(string Name, string Description);
