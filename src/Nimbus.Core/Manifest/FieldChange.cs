namespace Nimbus.Core.Manifest;

/// <summary>One setting that a deploy would change, as text: <see cref="Old"/> null means added, <see cref="New"/> null removed.</summary>
/// <param name="Field">The manifest's name for it: <c>memory</c>, <c>environment.TABLE</c>, <c>routes</c>, <c>provisionedConcurrency</c>.</param>
public sealed record FieldChange(string Field, string? Old, string? New);
