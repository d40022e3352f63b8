using Nimbus.Core.Manifest;
using Nimbus.Core.Security.Policy;

namespace Nimbus.Core.Tests.Manifest;

public class ManifestPolicyTests
{
    private static readonly string s_base = Path.Combine(Path.GetTempPath(), "project");

    private static ManifestParseResult Parse(string policy) => ManifestParser.Parse(
        $"""
        functions:
          orders:
            runtime: node
            handler: index.handler
            code: ./orders
            environment: {"{"}DB_PASSWORD: secret:db-password{"}"}
            policy:
        {policy}
        """, s_base);

    [Fact]
    public void Parse_IssueExample_ReadsEveryStatement()
    {
        var result = Parse("""
                  - {allow: secret:read, resource: db-password}
                  - {allow: function:invoke, resource: "orders*"}
            """);

        Assert.Empty(result.Errors);
        var function = result.Manifest!.Functions[0].Config;
        Assert.Equal([new PolicyStatement("secret:read", "db-password"), new PolicyStatement("function:invoke", "orders*")], function.Policy);
        Assert.Equal("secret:db-password", function.Environment["DB_PASSWORD"]);
    }

    [Fact]
    public void Parse_UnknownKeyAndBadAction_ReportLineFieldAndSuggestion()
    {
        var result = Parse("""
                  - {allow: secret:read, resource: db-password}
                  - allow: function:invoke
                    resorce: billing
                  - {allow: secrets:read, resource: x}
            """);

        Assert.Equal(
            [
                new ManifestError("functions.orders.policy[1].resorce", "unknown key 'resorce'; did you mean 'resource'?", 10),
                new ManifestError("functions.orders.policy[2].allow", "'secrets:read' is not an action; did you mean 'secret:read'?", 11),
            ],
            result.Errors);
    }

    [Fact]
    public void Parse_MissingResource_SaysItIsRequired()
    {
        var result = Parse("""
                  - {allow: queue:send}
            """);

        var error = Assert.Single(result.Errors);
        Assert.Equal("functions.orders.policy[0].resource", error.Field);
        Assert.StartsWith("is required", error.Message, StringComparison.Ordinal);
        Assert.Equal(8, error.Line);
    }

    [Fact]
    public void Parse_NotAList_IsRejected()
    {
        var error = Assert.Single(Parse("      allow: secret:read").Errors);

        Assert.Equal("functions.orders.policy", error.Field);
    }
}
