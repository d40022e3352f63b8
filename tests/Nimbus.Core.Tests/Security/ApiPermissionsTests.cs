using Nimbus.Core.Security;

namespace Nimbus.Core.Tests.Security;

public sealed class ApiPermissionsTests
{
    [Fact]
    public void For_KnownRoutes_NeedTheirPermission()
    {
        Assert.Equal(Permissions.Deploy, ApiPermissions.For("PUT", "/api/v1/functions/{name}").Permission);
        Assert.Equal(Permissions.Read, ApiPermissions.For("GET", "/api/v1/functions").Permission);
        Assert.Equal(Permissions.Invoke, ApiPermissions.For("POST", "/2015-03-31/functions/{name}/invocations").Permission);
        Assert.True(ApiPermissions.For("GET", "/api/v1/health").IsPublic);
    }

    [Fact]
    public void For_UnlistedRoute_IsAdminOnly()
    {
        var requirement = ApiPermissions.For("POST", "/api/v1/something-new");

        Assert.False(requirement.IsPublic);
        Assert.Equal(Permissions.ManageIdentities, requirement.Permission);
        Assert.False(Roles.Grants(Roles.Deployer, requirement.Permission!));
    }

    [Fact]
    public void For_AnyMethodEndpoint_NeedsOnlyAnIdentity() =>
        Assert.Equal(RouteRequirement.Authenticated, ApiPermissions.For(null, "/api/v1/functions"));
}
