using Nimbus.Core.Security;

namespace Nimbus.Core.Tests.Security;

public sealed class AccessCheckTests
{
    private static Principal User(string role, string? scope = null) => new(PrincipalKind.User, "nt_test", role, scope);

    [Theory]
    [InlineData(Roles.Admin, Permissions.ManageIdentities, true)]
    [InlineData(Roles.Admin, Permissions.Deploy, true)]
    [InlineData(Roles.Deployer, Permissions.Deploy, true)]
    [InlineData(Roles.Deployer, Permissions.ManageIdentities, false)]
    [InlineData(Roles.Deployer, Permissions.ReadAudit, false)]
    [InlineData(Roles.Operator, Permissions.Invoke, true)]
    [InlineData(Roles.Operator, Permissions.ReadLogs, true)]
    [InlineData(Roles.Operator, Permissions.Rollback, true)]
    [InlineData(Roles.Operator, Permissions.Pause, true)]
    [InlineData(Roles.Operator, Permissions.Redrive, true)]
    [InlineData(Roles.Operator, Permissions.Deploy, false)]
    [InlineData(Roles.Viewer, Permissions.Read, true)]
    [InlineData(Roles.Viewer, Permissions.Deploy, false)]
    [InlineData(Roles.Viewer, Permissions.Invoke, false)]
    [InlineData(Roles.Viewer, Permissions.ReadLogs, false)]
    [InlineData(Roles.Invoker, Permissions.Invoke, true)]
    [InlineData(Roles.Invoker, Permissions.Read, false)]
    [InlineData("nobody", Permissions.Read, false)]
    public void Decide_ByRole_GrantsExactlyTheRoleTable(string role, string permission, bool allowed)
    {
        var decision = AccessCheck.Decide(User(role), permission, "orders");

        Assert.Equal(allowed, decision.IsAllowed);
        Assert.Equal(permission, decision.Permission);
        if (!allowed)
        {
            Assert.Contains($"lacks the permission '{permission}'", decision.Reason);
        }
    }

    [Fact]
    public void Decide_ScopedIdentity_AllowsMatchingFunctionsOnly()
    {
        var scoped = User(Roles.Deployer, "orders*");

        Assert.True(AccessCheck.Decide(scoped, Permissions.Deploy, "orders-api").IsAllowed);
        var other = AccessCheck.Decide(scoped, Permissions.Deploy, "billing");
        Assert.False(other.IsAllowed);
        Assert.Contains("'orders*', which does not include 'billing'", other.Reason);
        Assert.False(AccessCheck.Decide(scoped, Permissions.Read, null).IsAllowed);
    }

    [Fact]
    public void Decide_FunctionPrincipal_MayInvokeButNotDeploy()
    {
        var function = new Principal(PrincipalKind.Function, "NSIAX", Roles.Function, FunctionName: "orders");

        Assert.True(AccessCheck.Decide(function, Permissions.Invoke, "billing").IsAllowed);
        Assert.False(AccessCheck.Decide(function, Permissions.Deploy, "billing").IsAllowed);
        Assert.False(AccessCheck.Decide(function, Permissions.ReadLogs, "orders").IsAllowed);
    }
}
