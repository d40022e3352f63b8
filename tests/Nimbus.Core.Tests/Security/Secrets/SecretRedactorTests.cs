using Nimbus.Core.Security.Secrets;

namespace Nimbus.Core.Tests.Security.Secrets;

public class SecretRedactorTests
{
    [Fact]
    public void Redact_MasksEveryOccurrenceOfEveryValue()
    {
        var redactor = SecretRedactor.For(["hunter22", "s3cr3t-token"]);

        Assert.Equal("password=*** token=*** again=***", redactor.Redact("password=hunter22 token=s3cr3t-token again=hunter22"));
    }

    [Fact]
    public void Redact_ValueContainingAnother_IsMaskedWhole()
    {
        var redactor = SecretRedactor.For(["abcd", "abcdefgh"]);

        Assert.Equal("x***y", redactor.Redact("xabcdefghy"));
    }

    [Fact]
    public void Redact_TextWithoutSecrets_IsReturnedAsIs()
    {
        var redactor = SecretRedactor.For(["hunter22"]);
        var text = "nothing to see";

        Assert.Same(text, redactor.Redact(text));
        Assert.Same(text, SecretRedactor.None.Redact(text));
    }

    [Fact]
    public void With_AddsValues_IgnoringTooShortOnes()
    {
        var redactor = SecretRedactor.None.With("ab").With("longer-secret");

        Assert.Equal("ab ***", redactor.Redact("ab longer-secret"));
        Assert.Same(redactor, redactor.With("longer-secret"));
    }

    [Fact]
    public void Redact_MultiLineValue_IsMaskedLineByLine()
    {
        var redactor = SecretRedactor.For(["-----BEGIN KEY-----\r\nMIIEvQIBADANBg\r\n-----END KEY-----"]);

        Assert.Equal("key line: ***", redactor.Redact("key line: MIIEvQIBADANBg"));
        Assert.Equal("***", redactor.Redact("-----END KEY-----"));
    }

    [Fact]
    public void SecretReference_FindsReferencesAndChecksNames()
    {
        var environment = new Dictionary<string, string> { ["DB_PASSWORD"] = "secret:db-password", ["PLAIN"] = "value", ["BAD"] = "secret:" };

        Assert.Equal([("DB_PASSWORD", "db-password"), ("BAD", "")], SecretReference.In(environment));
        Assert.Equal("environment.BAD", Assert.Single(SecretReference.Check(environment)).Field);
    }
}
