using Nimbus.Core.Security;

namespace Nimbus.Core.Tests.Security;

public sealed class FunctionPatternTests
{
    [Theory]
    [InlineData("orders*", "orders", true)]
    [InlineData("orders*", "orders-api", true)]
    [InlineData("orders*", "my-orders", false)]
    [InlineData("*orders", "my-orders", true)]
    [InlineData("*-api-*", "orders-api-v2", true)]
    [InlineData("*-api-*", "orders-api", false)]
    [InlineData("orders-?", "orders-1", true)]
    [InlineData("orders-?", "orders-12", false)]
    [InlineData("billing", "billing", true)]
    [InlineData("billing", "Billing", false)]
    [InlineData("*", "anything", true)]
    [InlineData("a*b*c", "aXbYbZc", true)]
    [InlineData("a*b*c", "aXbYbZ", false)]
    public void Matches_GlobSemantics(string pattern, string name, bool expected) =>
        Assert.Equal(expected, FunctionPattern.Matches(pattern, name));

    [Theory]
    [InlineData("orders*", null)]
    [InlineData("", "must not be empty")]
    [InlineData("orders/*", "may contain only")]
    [InlineData("a b", "may contain only")]
    public void Check_RefusesWhatCannotBeAFunctionName(string pattern, string? error)
    {
        var result = FunctionPattern.Check(pattern);
        if (error is null)
        {
            Assert.Null(result);
        }
        else
        {
            Assert.Contains(error, result);
        }
    }
}
