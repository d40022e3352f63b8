using Nimbus.Core.Security;

namespace Nimbus.Core.Tests.Security;

public sealed class CredentialsTests
{
    [Fact]
    public void NewToken_CarriesItsIdAndMatchesOnlyItsOwnHash()
    {
        var id = Credentials.NewTokenId();
        var token = Credentials.NewToken(id);
        var hash = Credentials.Hash(token);

        Assert.StartsWith(Credentials.TokenPrefix, id);
        Assert.Equal(id, Credentials.TokenIdOf(token));
        Assert.True(Credentials.HashMatches(token, hash));
        Assert.False(Credentials.HashMatches(token + "x", hash));
        Assert.False(Credentials.HashMatches(Credentials.NewToken(id), hash));
        Assert.DoesNotContain(token.Split('.')[1], hash);
    }

    [Theory]
    [InlineData("")]
    [InlineData("nt_abc")]
    [InlineData("nt_.secret")]
    [InlineData("xx_abc.secret")]
    [InlineData("nt_abc.")]
    public void TokenIdOf_NotAToken_IsNull(string text) => Assert.Null(Credentials.TokenIdOf(text));

    [Fact]
    public void NewAccessKeyId_LooksLikeAnAwsKey()
    {
        var id = Credentials.NewAccessKeyId(Credentials.AccessKeyPrefix);

        Assert.Equal(20, id.Length);
        Assert.StartsWith("NKIA", id);
        Assert.Equal(40, Credentials.NewSecretAccessKey().Length);
    }
}
