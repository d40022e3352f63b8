namespace Nimbus.Core.Manifest;

/// <summary>The difference between one function of the manifest and what is deployed.</summary>
/// <param name="Code">Null when the deployed package is the one the manifest's code directory gives.</param>
/// <param name="Changes">Configuration and provisioned concurrency, field by field (every setting for a new function).</param>
/// <param name="Alias">Null when the manifest gives no alias.</param>
public sealed record FunctionPlan(
    string Name,
    PlanAction Action,
    CodeChange? Code,
    IReadOnlyList<FieldChange> Changes,
    AliasPlan? Alias)
{
    public bool HasChanges => Action != PlanAction.Unchanged;
}
