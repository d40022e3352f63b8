using Nimbus.Core.Functions;
using Nimbus.Core.Manifest;

namespace Nimbus.Core.Tests.Manifest;

public class PlanDiffPolicyTests
{
    private static FunctionConfig Config(params (string Allow, string Resource)[] policy) => new()
    {
        Name = "orders",
        Runtime = "node",
        Handler = "index.handler",
        Policy = policy.Length == 0 ? null : [.. policy.Select(p => new Core.Security.Policy.PolicyStatement(p.Allow, p.Resource))],
    };

    [Fact]
    public void ConfigChanges_PolicyStatementsAddedAndRemoved_AreEachAChange()
    {
        var changes = PlanDiff.ConfigChanges(Config(("secret:read", "old"), ("function:invoke", "orders*")), Config(("function:invoke", "orders*"), ("secret:read", "new")));

        Assert.Equal([new FieldChange("policy", "secret:read on old", null), new FieldChange("policy", null, "secret:read on new")], changes);
    }

    [Fact]
    public void ConfigChanges_SamePolicy_IsNoChange()
    {
        Assert.Empty(PlanDiff.ConfigChanges(Config(("secret:read", "db")), Config(("secret:read", "db"))));
    }
}
