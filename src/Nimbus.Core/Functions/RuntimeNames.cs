namespace Nimbus.Core.Functions;

/// <summary>The runtimes Nimbus can start a worker for.</summary>
public static class RuntimeNames
{
    public const string Dotnet = "dotnet";
    public const string Node = "node";
    public const string Python = "python";
    public const string Provided = "provided";

    public static readonly IReadOnlyList<string> All = [Dotnet, Node, Python, Provided];

    public static bool IsKnown(string? runtime) => runtime is Dotnet or Node or Python or Provided;
}
