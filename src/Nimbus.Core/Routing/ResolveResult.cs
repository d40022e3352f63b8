namespace Nimbus.Core.Routing;

/// <summary>Where an invocation goes: the target, and the alias it came through (if any).</summary>
public readonly record struct ResolveResult(ResolveStatus Status, ExecutionTarget? Target, string? Alias, string Message)
{
    public static ResolveResult Found(ExecutionTarget target, string? alias) => new(ResolveStatus.Found, target, alias, "");
}
