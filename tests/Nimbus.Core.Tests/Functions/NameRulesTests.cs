using Nimbus.Core.Functions;

namespace Nimbus.Core.Tests.Functions;

/// <summary>Alias and function names follow Lambda's limits, the same for the API and the manifest.</summary>
public class NameRulesTests
{
    [Fact]
    public void AliasName_OfOneHundredCharacters_IsValid_AsInLambda()
    {
        Assert.True(NameRules.IsValidAliasName(new string('a', 100)));
        Assert.True(NameRules.IsValidAliasName(new string('a', NameRules.MaxAliasNameLength)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("123")]
    [InlineData("$LATEST")]
    [InlineData("has space")]
    [InlineData("dot.ted")]
    public void AliasName_OutsideLambdasPattern_IsInvalid(string alias)
    {
        Assert.False(NameRules.IsValidAliasName(alias));
        Assert.NotNull(NameRules.CheckAliasName(alias));
    }

    [Fact]
    public void AliasName_Of129Characters_IsInvalid()
    {
        Assert.False(NameRules.IsValidAliasName(new string('a', 129)));
    }

    [Fact]
    public void AliasName_Null_IsInvalidWithAMessage()
    {
        Assert.Contains("was null", NameRules.CheckAliasName(null));
    }

    [Fact]
    public void FunctionName_FollowsLambdasPattern()
    {
        Assert.True(NameRules.IsValidFunctionName("my-func_2"));
        Assert.False(NameRules.IsValidFunctionName("my.func"));
        Assert.False(NameRules.IsValidFunctionName(new string('f', 65)));
    }
}
