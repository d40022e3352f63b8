namespace Nimbus.Core.Manifest;

/// <summary>
/// What <c>nimbus deploy</c> would change (<c>nimbus plan</c> shows it). <see cref="Unmanaged"/> lists deployed functions
/// the manifest does not declare: deploy leaves them alone. <see cref="Errors"/> are conflicts with what is deployed
/// that would make the deploy fail half-way; a plan with errors must not be applied.
/// </summary>
public sealed record ManifestPlan(
    IReadOnlyList<FunctionPlan> Functions,
    IReadOnlyList<string> Unmanaged,
    IReadOnlyList<ManifestError> Errors)
{
    public bool HasChanges => Functions.Any(f => f.HasChanges);

    public int Count(PlanAction action) => Functions.Count(f => f.Action == action);
}
