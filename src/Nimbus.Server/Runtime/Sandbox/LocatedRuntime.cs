namespace Nimbus.Server.Runtime.Sandbox;

/// <summary>An interpreter as a sandbox runs it: its real executable, and the directory to mount when /usr does not hold it.</summary>
public sealed record LocatedRuntime(string Executable, string? ExtraMount);
