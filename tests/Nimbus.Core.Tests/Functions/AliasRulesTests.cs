using Nimbus.Core.Functions;

namespace Nimbus.Core.Tests.Functions;

public class AliasRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly HashSet<int> Versions = [1, 2];

    [Fact]
    public void Validate_HundredCharacterAlias_IsAccepted()
    {
        var alias = new string('a', 100);

        var errors = AliasRules.Validate("fn", alias, "1", null, null, Versions.Contains, Now, out var record);

        Assert.Empty(errors);
        Assert.Equal(new AliasRecord("fn", alias, 1, null, 0, null, Now), record);
    }

    [Fact]
    public void Validate_WeightedSecondVersion_IsKept()
    {
        AliasRules.Validate("fn", "live", "1", new Dictionary<string, double> { ["2"] = 0.25 }, "canary", Versions.Contains, Now, out var record);

        Assert.Equal((2, 0.25), (record!.AdditionalVersion, record.AdditionalWeight));
    }

    [Fact]
    public void Validate_EveryProblem_IsListedWithItsField()
    {
        var errors = AliasRules.Validate("fn", "123", null, new Dictionary<string, double> { ["9"] = 1.5 }, null, Versions.Contains, Now, out var record);

        Assert.Null(record);
        Assert.Equal(["additionalVersionWeights", "additionalVersionWeights", "alias", "version"], errors.Select(e => e.Field).Order(StringComparer.Ordinal));
    }
}
