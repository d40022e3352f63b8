using Nimbus.Core.Security.Policy;

namespace Nimbus.Core.Tests.Security.Policy;

public class PolicyEvaluatorTests
{
    private static readonly PolicyStatement[] s_policy =
    [
        new("secret:read", "db-password"),
        new("function:invoke", "orders*"),
    ];

    [Theory]
    [InlineData("secret:read", "db-password", true)]
    [InlineData("secret:read", "db-password2", false)]
    [InlineData("function:invoke", "orders", true)]
    [InlineData("function:invoke", "orders-api", true)]
    [InlineData("function:invoke", "billing", false)]
    [InlineData("function:invoke", "xorders", false)]
    [InlineData("queue:send", "orders", false)]
    [InlineData("secret:read", "orders-api", false)]
    public void Evaluate_GrantsOnlyMatchingActionAndResource(string action, string resource, bool allowed)
    {
        Assert.Equal(allowed, PolicyEvaluator.Evaluate(s_policy, action, resource).Allowed);
    }

    [Fact]
    public void Evaluate_NoPolicy_DeniesEverything()
    {
        Assert.False(PolicyEvaluator.Evaluate(null, "secret:read", "db-password").Allowed);
        Assert.False(PolicyEvaluator.Evaluate([], "function:invoke", "orders").Allowed);
    }

    [Fact]
    public void Evaluate_Denied_NamesTheMissingPermission()
    {
        var decision = PolicyEvaluator.Evaluate(s_policy, "function:invoke", "billing");

        Assert.Null(decision.GrantedBy);
        Assert.Equal("function:invoke on resource: billing", decision.Permission);
        Assert.Equal("User: function/orders is not authorized to perform: function:invoke on resource: billing", decision.DeniedMessage("orders"));
    }

    [Fact]
    public void Evaluate_Allowed_NamesTheGrantThatAllowedIt()
    {
        Assert.Equal(s_policy[1], PolicyEvaluator.Evaluate(s_policy, "function:invoke", "orders-db").GrantedBy);
    }

    [Theory]
    [InlineData("*", "", true)]
    [InlineData("*", "anything", true)]
    [InlineData("a*b*c", "aXbYc", true)]
    [InlineData("a*b*c", "abc", true)]
    [InlineData("a*b*c", "aXbY", false)]
    [InlineData("*-prod", "db-prod", true)]
    [InlineData("*-prod", "db-prod-old", false)]
    [InlineData("Orders", "orders", false)]
    [InlineData("a?c", "abc", false)]
    [InlineData("**", "x", true)]
    public void ResourcePattern_StarIsTheOnlyWildcard(string pattern, string resource, bool matches)
    {
        Assert.Equal(matches, ResourcePattern.Matches(pattern, resource));
    }
}
