using Nimbus.Core.Functions;
using Nimbus.Core.Security.Policy;

namespace Nimbus.Core.Tests.Security.Policy;

public class PolicyRulesTests
{
    [Fact]
    public void Check_ValidPolicy_HasNoErrors()
    {
        Assert.Empty(PolicyRules.Check([new("secret:read", "app/db-password"), new("function:invoke", "orders*"), new("queue:send", "*")]));
    }

    [Fact]
    public void Check_MistypedAction_SuggestsTheKnownOne()
    {
        var error = Assert.Single(PolicyRules.Check([new("secret:raed", "db")]));

        Assert.Equal(new ValidationError("policy[0].allow", "'secret:raed' is not an action; did you mean 'secret:read'?"), error);
    }

    [Fact]
    public void Check_ActionWithoutPrefix_SuggestsThePrefixedOne()
    {
        Assert.Equal("'invoke' is not an action; did you mean 'function:invoke'?", PolicyRules.CheckAction("invoke"));
    }

    [Fact]
    public void Check_EmptyOrOddResource_IsRejected()
    {
        var errors = PolicyRules.Check([new("queue:send", ""), new("queue:send", "a b")]);

        Assert.Equal(["policy[0].resource", "policy[1].resource"], errors.Select(e => e.Field));
        Assert.Contains("contains ' '", errors[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FunctionConfigValidator_ChecksThePolicyAndSecretReferences()
    {
        var config = new FunctionConfig
        {
            Name = "orders",
            Runtime = "node",
            Handler = "index.handler",
            Environment = new Dictionary<string, string> { ["DB"] = "secret:has space" },
            Policy = [new("secret:write", "db")],
        };

        var fields = FunctionConfigValidator.Validate(config).Select(e => e.Field).ToList();

        Assert.Equal(["environment.DB", "policy[0].allow"], fields);
    }
}
