namespace Nimbus.Core.Routing;

/// <summary>
/// A binding <see cref="RouteTable.Build"/> left out: its template is invalid, or an earlier binding has the same
/// method and template shape and so already answers the same requests. The gateway logs these; it does not fail.
/// </summary>
public sealed record RouteTableIssue(RouteBinding Binding, string Message)
{
    public override string ToString() =>
        $"route '{Binding.Route.Method} {Binding.Route.Path}' of function '{Binding.FunctionName}' is ignored: {Message}";
}
