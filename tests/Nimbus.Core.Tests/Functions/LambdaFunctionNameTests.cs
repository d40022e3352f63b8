using Nimbus.Core.Functions;

namespace Nimbus.Core.Tests.Functions;

public class LambdaFunctionNameTests
{
    [Theory]
    [InlineData("orders", "orders", null)]
    [InlineData("orders:live", "orders", "live")]
    [InlineData("orders:$LATEST", "orders", "$LATEST")]
    [InlineData("000000000000:function:orders", "orders", null)]
    [InlineData("123456789012:function:orders:3", "orders", "3")]
    [InlineData("arn:aws:lambda:us-east-1:000000000000:function:orders", "orders", null)]
    [InlineData("arn:aws:lambda:eu-west-1:123456789012:function:orders:live", "orders", "live")]
    public void TryParse_AcceptedShapes_GiveNameAndQualifier(string text, string name, string? qualifier)
    {
        Assert.True(LambdaFunctionName.TryParse(text, out var parsedName, out var parsedQualifier, out var error), error);
        Assert.Equal(name, parsedName);
        Assert.Equal(qualifier, parsedQualifier);
    }

    [Theory]
    [InlineData("")]
    [InlineData("orders:")]
    [InlineData("a:b:c")]
    [InlineData("arn:aws:s3:us-east-1:000000000000:function:orders")]
    [InlineData("arn:aws:lambda:us-east-1:000000000000:function:orders:live:extra")]
    public void TryParse_OtherShapes_AreRefusedWithTheExpectedForms(string text)
    {
        Assert.False(LambdaFunctionName.TryParse(text, out _, out _, out var error));
        Assert.Contains("arn:aws:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]", error);
    }
}
