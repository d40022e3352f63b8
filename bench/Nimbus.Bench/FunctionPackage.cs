namespace Nimbus.Bench;

/// <summary>An echo function ready to deploy: its config, its zip, and the directory the zip was made from.</summary>
public sealed record FunctionPackage(string Runtime, string Handler, byte[] Zip, string Directory, string Description);
