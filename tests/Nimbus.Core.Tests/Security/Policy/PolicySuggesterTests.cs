using Nimbus.Core.Security.Policy;

namespace Nimbus.Core.Tests.Security.Policy;

public class PolicySuggesterTests
{
    private static readonly DateTimeOffset s_at = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    private static ObservedAccess Seen(string action, string resource, long allowed, long denied) => new(action, resource, allowed, denied, s_at);

    [Fact]
    public void Suggest_GrantsExactlyWhatWasAttempted_AllowedAndDenied()
    {
        var suggestion = PolicySuggester.Suggest(
            [new("function:invoke", "orders*")],
            [Seen("function:invoke", "orders-api", 3, 0), Seen("secret:read", "db-password", 0, 2), Seen("function:invoke", "billing", 0, 1)]);

        Assert.Equal(
            [new("function:invoke", "billing"), new("function:invoke", "orders-api"), new("secret:read", "db-password")],
            suggestion.Suggested);
    }

    [Fact]
    public void Suggest_ReportsUnusedGrantsDeniedAttemptsAndNarrowableWildcards()
    {
        var suggestion = PolicySuggester.Suggest(
            [new("function:invoke", "orders*"), new("secret:read", "old-key"), new("queue:send", "emails")],
            [Seen("function:invoke", "orders-api", 3, 0), Seen("function:invoke", "orders-db", 1, 0), Seen("queue:send", "emails", 1, 0), Seen("secret:read", "db-password", 0, 2)]);

        Assert.Equal([new("secret:read", "old-key")], suggestion.UnusedGrants);
        Assert.Equal("db-password", Assert.Single(suggestion.DeniedAttempts).Resource);
        var narrowing = Assert.Single(suggestion.Narrowable);
        Assert.Equal(new PolicyStatement("function:invoke", "orders*"), narrowing.Grant);
        Assert.Equal(["orders-api", "orders-db"], narrowing.UsedResources);
        Assert.False(suggestion.MatchesDeclared);
    }

    [Fact]
    public void Suggest_DeniedEarlierButGrantedNow_IsNotADeniedAttempt()
    {
        var suggestion = PolicySuggester.Suggest([new("secret:read", "db")], [Seen("secret:read", "db", 4, 1)]);

        Assert.Empty(suggestion.DeniedAttempts);
        Assert.True(suggestion.MatchesDeclared);
    }

    [Fact]
    public void Suggest_NothingObserved_SuggestsNothingAndEveryGrantIsUnused()
    {
        var suggestion = PolicySuggester.Suggest([new("secret:read", "db")], []);

        Assert.Empty(suggestion.Suggested);
        Assert.Equal([new("secret:read", "db")], suggestion.UnusedGrants);
    }

    [Fact]
    public void Describe_SaysEachDifferenceOnOneLine()
    {
        var suggestion = PolicySuggester.Suggest(
            [new("function:invoke", "orders*"), new("secret:read", "old-key")],
            [Seen("function:invoke", "orders-api", 3, 0), Seen("function:invoke", "billing", 0, 2)]);

        Assert.Equal(
            [
                "unused grant: secret:read on old-key",
                "denied: function:invoke on billing (2 times, last 2026-12-01 10:00:00Z)",
                "wildcard: function:invoke on orders* was used only for orders-api",
            ],
            PolicyDifference.Describe(suggestion));
    }

    [Fact]
    public void AsYaml_QuotesWildcards()
    {
        Assert.Equal(["- {allow: function:invoke, resource: \"orders*\"}", "- {allow: secret:read, resource: db}"],
            PolicyDifference.AsYaml([new("function:invoke", "orders*"), new("secret:read", "db")]));
    }
}
