using Nimbus.Core.Functions;
using Nimbus.Core.Manifest;

namespace Nimbus.Core.Tests.Manifest;

public class ManifestEphemeralStorageTests
{
    private static readonly string s_base = Path.Combine(Path.GetTempPath(), "project");

    private static ManifestParseResult Parse(string value) => ManifestParser.Parse($"""
        functions:
          orders:
            runtime: provided
            code: orders
            ephemeralStorage: {value}
        """, s_base);

    [Fact]
    public void Parse_EphemeralStorage_SetsTheSizeOfTmpInMb()
    {
        var result = Parse("2048");

        Assert.Empty(result.Errors);
        Assert.Equal(2048, result.Manifest!.Functions[0].Config.EphemeralStorageMb);
        Assert.Equal(2048, result.Manifest.Functions[0].Config.EffectiveEphemeralStorageMb);
    }

    [Fact]
    public void Parse_WithoutEphemeralStorage_IsLambdasDefault()
    {
        var result = ManifestParser.Parse("""
            functions:
              orders:
                runtime: provided
                code: orders
            """, s_base);

        Assert.Null(result.Manifest!.Functions[0].Config.EphemeralStorageMb);
        Assert.Equal(512, result.Manifest.Functions[0].Config.EffectiveEphemeralStorageMb);
    }

    [Theory]
    [InlineData("511", "must be between 512 and 10240 MB, was 511")]
    [InlineData("10241", "must be between 512 and 10240 MB, was 10241")]
    [InlineData("1GB", "must be a whole number of MB (512-10240), was '1GB'")]
    public void Parse_EphemeralStorageOutsideLambdasBounds_IsAnErrorOnItsLine(string value, string message)
    {
        var error = Assert.Single(Parse(value).Errors);

        Assert.Equal("functions.orders.ephemeralStorage", error.Field);
        Assert.Equal(5, error.Line);
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Validate_EphemeralStorage_UsesTheApisFieldName()
    {
        var config = new FunctionConfig { Name = "orders", Runtime = "provided", EphemeralStorageMb = 100 };

        var error = Assert.Single(FunctionConfigValidator.Validate(config));

        Assert.Equal("ephemeralStorage", error.Field);
    }
}
