using Nimbus.Core.Functions;

namespace Nimbus.Core.Manifest;

/// <summary>A route as declared in the manifest, kept with its field path and line to report conflicts.</summary>
internal sealed record ManifestRouteDeclaration(string FunctionName, string Field, int Line, HttpRouteConfig Route)
{
    public string RouteKey => $"{Route.Method} {Route.Path}";
}
