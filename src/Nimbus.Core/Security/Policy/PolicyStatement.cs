namespace Nimbus.Core.Security.Policy;

/// <summary>One grant of a function's policy: <c>{allow: secret:read, resource: db-password}</c>. Immutable.</summary>
/// <param name="Allow">The action granted: one of <see cref="PolicyActions.All"/>.</param>
/// <param name="Resource">The resource name, or a pattern where <c>*</c> stands for any run of characters (<c>orders*</c>).</param>
public sealed record PolicyStatement(string Allow, string Resource)
{
    public override string ToString() => $"{Allow} on {Resource}";
}
