using Nimbus.Core.Deployments;

namespace Nimbus.Core.Tests.Deployments;

public sealed class DeploymentHooksTests
{
    [Fact]
    public void Validate_NoTimeout_UsesTenMinutes()
    {
        Assert.Empty(DeploymentHooks.Validate("smoke", null, null, out var hooks));

        Assert.Equal(new DeploymentHooks("smoke", null, TimeSpan.FromMinutes(10)), hooks);
    }

    [Fact]
    public void Validate_OneHourTimeout_IsAccepted()
    {
        Assert.Empty(DeploymentHooks.Validate(null, "verify", "1h", out var hooks));

        Assert.Equal(TimeSpan.FromHours(1), hooks!.Timeout);
    }

    [Theory]
    [InlineData("61m")]
    [InlineData("0s")]
    [InlineData("later")]
    public void Validate_TimeoutOutOfRangeOrNotADuration_NamesTheTimeoutField(string timeout)
    {
        var error = Assert.Single(DeploymentHooks.Validate("smoke", null, timeout, out var hooks));

        Assert.Null(hooks);
        Assert.Equal("hooks.timeout", error.Field);
        Assert.StartsWith($"'{timeout}' ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_BadHookFunctionName_NamesTheHookField()
    {
        var error = Assert.Single(DeploymentHooks.Validate("no spaces", null, null, out _));

        Assert.Equal("hooks.preTraffic", error.Field);
    }
}
