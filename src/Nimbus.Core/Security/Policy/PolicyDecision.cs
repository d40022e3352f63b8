namespace Nimbus.Core.Security.Policy;

/// <summary>The verdict on one attempt of a function: allowed (by which grant) or denied, naming the permission it lacks.</summary>
public sealed record PolicyDecision(bool Allowed, string Action, string Resource, PolicyStatement? GrantedBy)
{
    /// <summary>The permission the attempt needs, e.g. <c>function:invoke on resource: billing</c>.</summary>
    public string Permission => $"{Action} on resource: {Resource}";

    /// <summary>Lambda's wording of a denial, with the caller named as <c>function/NAME</c>.</summary>
    public string DeniedMessage(string functionName) =>
        $"User: function/{functionName} is not authorized to perform: {Permission}";
}
