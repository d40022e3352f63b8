using Nimbus.Core.Functions;
using Nimbus.Core.Manifest;

namespace Nimbus.Core.Tests.Manifest;

public class ManifestParserTests
{
    private static readonly string s_base = Path.Combine(Path.GetTempPath(), "project");

    private static NimbusManifest Valid(string yaml)
    {
        var result = ManifestParser.Parse(yaml, s_base);
        Assert.True(result.Manifest is not null, "expected no errors, got:\n" + string.Join("\n", result.Errors));
        Assert.Empty(result.Errors);
        return result.Manifest;
    }

    private static IReadOnlyList<ManifestError> Invalid(string yaml)
    {
        var result = ManifestParser.Parse(yaml, s_base);
        Assert.Null(result.Manifest);
        Assert.NotEmpty(result.Errors);
        return result.Errors;
    }

    private static ManifestError SingleError(string yaml)
    {
        var errors = Invalid(yaml);
        Assert.True(errors.Count == 1, "expected one error, got:\n" + string.Join("\n", errors));
        return errors[0];
    }

    [Fact]
    public void Parse_TheCommonExample_ReadsEverySetting()
    {
        var manifest = Valid("""
            # examples/nimbus.yaml
            functions:
              hello-node:
                runtime: node
                handler: index.handler
                code: ./hello-node
                memory: 256
                timeout: 2.5
                description: Says hello
                environment:
                  GREETING: hello
                  PORT: 8080
                  DEBUG: true
                reservedConcurrency: 10
                routes:
                  - GET /hello
                  - method: post
                    path: /hello/{name}
                alias: live
                provisionedConcurrency: 1
                build: npm ci
            """);

        var function = Assert.Single(manifest.Functions);
        Assert.Equal(s_base, manifest.BaseDirectory);
        Assert.Equal(3, function.Line);
        Assert.Equal(Path.Combine(s_base, "hello-node"), function.CodePath);
        Assert.Equal("live", function.Alias);
        Assert.Equal(1, function.ProvisionedConcurrency);
        Assert.Equal("npm ci", function.Build);
        var config = function.Config;
        Assert.Equal("hello-node", config.Name);
        Assert.Equal("node", config.Runtime);
        Assert.Equal("index.handler", config.Handler);
        Assert.Equal(256, config.MemoryMb);
        Assert.Equal(2.5, config.TimeoutSeconds);
        Assert.Equal("Says hello", config.Description);
        Assert.Equal(10, config.ReservedConcurrency);
        Assert.Equal(new Dictionary<string, string> { ["GREETING"] = "hello", ["PORT"] = "8080", ["DEBUG"] = "true" }, config.Environment);
        Assert.Equal([new HttpRouteConfig("GET", "/hello", "live"), new HttpRouteConfig("POST", "/hello/{name}", "live")], config.Routes);
    }

    [Fact]
    public void Parse_MinimalFunction_UsesTheDefaults()
    {
        var manifest = Valid("""
            functions:
              tool:
                runtime: provided
                code: bin
            """);

        var function = Assert.Single(manifest.Functions);
        Assert.Equal(FunctionConfig.DefaultMemoryMb, function.Config.MemoryMb);
        Assert.Equal(FunctionConfig.DefaultTimeoutSeconds, function.Config.TimeoutSeconds);
        Assert.Empty(function.Config.Environment);
        Assert.Empty(function.Config.Routes);
        Assert.Null(function.Config.ReservedConcurrency);
        Assert.Null(function.Alias);
        Assert.Null(function.ProvisionedConcurrency);
        Assert.Null(function.Build);
        Assert.Equal("", function.Config.Handler);
    }

    [Fact]
    public void Parse_RoutesWithoutAlias_InvokeLatest()
    {
        var manifest = Valid("""
            functions:
              api:
                runtime: node
                handler: index.handler
                code: api
                routes:
                  - GET /a
                  - ANY /b/{rest+}
            """);

        Assert.Equal([new HttpRouteConfig("GET", "/a"), new HttpRouteConfig("ANY", "/b/{rest+}")], manifest.Functions[0].Config.Routes);
    }

    [Fact]
    public void Parse_SeveralFunctions_KeepTheirOrderAndLines()
    {
        var manifest = Valid("""
            functions:
              a:
                runtime: python
                handler: app.handler
                code: a
              b:
                runtime: dotnet
                handler: B
                code: /srv/b
            """);

        Assert.Equal(["a", "b"], manifest.Functions.Select(f => f.Config.Name));
        Assert.Equal([2, 6], manifest.Functions.Select(f => f.Line));
        Assert.Equal(Path.GetFullPath("/srv/b"), manifest.Functions[1].CodePath);
    }

    [Fact]
    public void Parse_CodeWithParentSegments_IsNormalised()
    {
        var manifest = Valid("""
            functions:
              a:
                runtime: provided
                code: ../shared/./a
            """);

        Assert.Equal(Path.GetFullPath(Path.Combine(s_base, "..", "shared", "a")), manifest.Functions[0].CodePath);
    }

    [Fact]
    public void Parse_EmptyOptionalValues_MeanNotSet()
    {
        var manifest = Valid("""
            functions:
              a:
                runtime: provided
                code: a
                memory:
                environment:
                routes:
                description: ~
            """);

        Assert.Equal(128, manifest.Functions[0].Config.MemoryMb);
        Assert.Empty(manifest.Functions[0].Config.Environment);
        Assert.Null(manifest.Functions[0].Config.Description);
    }

    [Fact]
    public void Parse_YamlSyntaxError_ReportsItsLine()
    {
        var error = SingleError("""
            functions:
              a:
                runtime: node
               code: a
            """);

        Assert.Equal("(syntax)", error.Field);
        Assert.Equal(4, error.Line);
        Assert.StartsWith("not valid YAML: ", error.Message);
        Assert.DoesNotContain("Idx:", error.Message);
    }

    [Fact]
    public void Parse_UnclosedQuote_ReportsASyntaxError()
    {
        var error = SingleError("functions:\n  a:\n    runtime: \"node\n");

        Assert.Equal("(syntax)", error.Field);
        Assert.NotNull(error.Line);
    }

    [Fact]
    public void Parse_TabIndentation_PointsAtTheLineWithTheTab()
    {
        var error = SingleError("functions:\n  a:\n    runtime: provided\n\tcode: a\n");

        Assert.Equal(4, error.Line);
        Assert.Equal("not valid YAML: indentation must use spaces, not tabs", error.Message);
    }

    [Fact]
    public void Parse_BracesInAFlowList_HintsAtQuoting()
    {
        var error = SingleError("functions:\n  a:\n    runtime: provided\n    code: a\n    routes: [GET /a/{id}]\n");

        Assert.Equal(5, error.Line);
        Assert.Contains("quote values that contain '{'", error.Message);
    }

    [Fact]
    public void Parse_DuplicateKey_ReportsItsLine()
    {
        var error = SingleError("""
            functions:
              a:
                runtime: node
                runtime: python
                code: a
            """);

        Assert.Equal(4, error.Line);
        Assert.Contains("duplicate key", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Parse_UnknownKey_SuggestsTheClosestKnownKey()
    {
        var error = SingleError("""
            functions:
              orders:
                runtime: provided
                code: orders
                memroy: 256
            """);

        Assert.Equal("functions.orders.memroy", error.Field);
        Assert.Equal(5, error.Line);
        Assert.Equal("unknown key 'memroy'; did you mean 'memory'?", error.Message);
        Assert.Equal("line 5: functions.orders.memroy: unknown key 'memroy'; did you mean 'memory'?", error.ToString());
    }

    [Theory]
    [InlineData("timout", "timeout")]
    [InlineData("Runtime", "runtime")]
    [InlineData("reservedconcurrency", "reservedConcurrency")]
    [InlineData("enviroment", "environment")]
    [InlineData("route", "routes")]
    public void Parse_MisspelledKey_SuggestsIt(string typo, string meant)
    {
        var errors = Invalid($"""
            functions:
              a:
                runtime: provided
                code: a
                {typo}: 1
            """);

        Assert.Contains(errors, e => e.Message == $"unknown key '{typo}'; did you mean '{meant}'?");
    }

    [Fact]
    public void Parse_UnrelatedUnknownKey_ListsTheKnownKeys()
    {
        var error = SingleError("""
            functions:
              a:
                runtime: provided
                code: a
                xyzzy: 1
            """);

        Assert.StartsWith("unknown key 'xyzzy'; expected one of: runtime, handler, code, memory", error.Message);
    }

    [Fact]
    public void Parse_UnknownTopLevelKey_IsReported()
    {
        var errors = Invalid("""
            function:
              a:
                runtime: provided
                code: a
            """);

        Assert.Contains(errors, e => e is { Field: "function", Line: 1, Message: "unknown key 'function'; did you mean 'functions'?" });
        Assert.Contains(errors, e => e.Field == "functions" && e.Message.StartsWith("is required", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_MemoryNotANumber_SaysWhatIsExpected()
    {
        var error = SingleError("""
            functions:
              orders:
                runtime: provided
                code: orders
                memory: lots
            """);

        Assert.Equal("functions.orders.memory", error.Field);
        Assert.Equal(5, error.Line);
        Assert.Equal("must be a whole number of MB (64-10240), was 'lots'", error.Message);
    }

    [Fact]
    public void Parse_MemoryWithUnit_IsAWholeNumberError()
    {
        var error = SingleError("""
            functions:
              orders:
                runtime: provided
                code: orders
                memory: 128MB
            """);

        Assert.Contains("was '128MB'", error.Message);
    }

    [Fact]
    public void Parse_MemoryOutOfRange_UsesTheValidatorsLimitUnderTheManifestName()
    {
        var error = SingleError("""
            functions:
              orders:
                runtime: provided
                code: orders
                memory: 32
            """);

        Assert.Equal("functions.orders.memory", error.Field);
        Assert.Equal(5, error.Line);
        Assert.Equal("must be between 64 and 10240, was 32", error.Message);
    }

    [Theory]
    [InlineData("0", "must be greater than 0 and at most 900, was 0")]
    [InlineData("901", "must be greater than 0 and at most 900, was 901")]
    [InlineData("soon", "must be a number of seconds (more than 0, at most 900), was 'soon'")]
    [InlineData("NaN", "must be a number of seconds")]
    public void Parse_BadTimeout_IsReportedAsTimeout(string value, string message)
    {
        var error = SingleError($"""
            functions:
              orders:
                runtime: provided
                code: orders
                timeout: {value}
            """);

        Assert.Equal("functions.orders.timeout", error.Field);
        Assert.Equal(5, error.Line);
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void Parse_MissingRuntimeAndCode_ReportsBothAtTheFunctionLine()
    {
        var errors = Invalid("""
            functions:
              orders:
                handler: index.handler
            """);

        Assert.Equal(2, errors.Count);
        Assert.Contains(errors, e => e is { Field: "functions.orders.runtime", Line: 2 } && e.Message == "is required: one of dotnet, node, python, provided");
        Assert.Contains(errors, e => e is { Field: "functions.orders.code", Line: 2 } && e.Message.StartsWith("is required", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_EmptyCode_IsRequired()
    {
        var error = SingleError("""
            functions:
              orders:
                runtime: provided
                code:
            """);

        Assert.Equal("functions.orders.code", error.Field);
        Assert.Equal(4, error.Line);
    }

    [Fact]
    public void Parse_UnknownRuntime_UsesTheValidatorsMessage()
    {
        var error = SingleError("""
            functions:
              orders:
                runtime: ruby
                code: orders
            """);

        Assert.Equal("functions.orders.runtime", error.Field);
        Assert.Equal(3, error.Line);
        Assert.Equal("'ruby' is not a runtime; use one of dotnet, node, python, provided", error.Message);
    }

    [Fact]
    public void Parse_NodeWithoutHandler_SaysTheHandlerIsRequired()
    {
        var error = SingleError("""
            functions:
              orders:
                runtime: node
                code: orders
            """);

        Assert.Equal("functions.orders.handler", error.Field);
        Assert.Equal(2, error.Line);
        Assert.Contains("is required: 'file.export'", error.Message);
    }

    [Fact]
    public void Parse_InvalidFunctionName_IsReportedAtTheName()
    {
        var error = SingleError("""
            functions:
              "bad name":
                runtime: provided
                code: x
            """);

        Assert.Equal("functions.bad name", error.Field);
        Assert.Equal(2, error.Line);
        Assert.StartsWith("the function name must be 1-64 characters", error.Message);
    }

    [Fact]
    public void Parse_FunctionNotAMapping_SaysWhatIsExpected()
    {
        var error = SingleError("""
            functions:
              orders: node
            """);

        Assert.Equal("functions.orders", error.Field);
        Assert.Equal(2, error.Line);
        Assert.Contains("must be a mapping of settings", error.Message);
    }

    [Fact]
    public void Parse_StringFieldGivenAList_IsAWrongTypeError()
    {
        var error = SingleError("""
            functions:
              orders:
                runtime: provided
                code: [a, b]
            """);

        Assert.Equal("functions.orders.code", error.Field);
        Assert.Equal("must be text, not a list", error.Message);
    }

    [Theory]
    [InlineData("functions:\n", "must declare at least one function (a mapping of names to settings), but is empty")]
    [InlineData("functions: {}\n", "but is empty")]
    [InlineData("functions: [a]\n", "but is a list")]
    public void Parse_NoFunctions_IsAnError(string yaml, string message)
    {
        var error = SingleError(yaml);

        Assert.Equal("functions", error.Field);
        Assert.Contains(message, error.Message);
        Assert.Equal(1, error.Line);
    }

    [Theory]
    [InlineData("")]
    [InlineData("# only a comment\n")]
    public void Parse_EmptyFile_SaysFunctionsAreRequired(string yaml)
    {
        var error = SingleError(yaml);

        Assert.Equal("functions", error.Field);
        Assert.Contains("the manifest is empty", error.Message);
    }

    [Fact]
    public void Parse_RootIsAList_IsAnError()
    {
        var error = SingleError("- a\n- b\n");

        Assert.Equal("(document)", error.Field);
        Assert.Contains("must be a mapping with a 'functions' key", error.Message);
    }

    [Fact]
    public void Parse_TwoDocuments_IsAnError()
    {
        var error = SingleError("functions:\n  a:\n    runtime: provided\n    code: a\n---\nfunctions: {}\n");

        Assert.Equal("(document)", error.Field);
        Assert.Equal(6, error.Line);
    }

    [Fact]
    public void Parse_MalformedShortRoute_SaysTheExpectedForm()
    {
        var error = SingleError("""
            functions:
              orders:
                runtime: provided
                code: orders
                routes:
                  - GET /a
                  - /orders
            """);

        Assert.Equal("functions.orders.routes[1]", error.Field);
        Assert.Equal(7, error.Line);
        Assert.Equal("must be 'METHOD /path' (e.g. 'GET /orders/{id}'), was '/orders'", error.Message);
    }

    [Fact]
    public void Parse_UnknownMethod_IsReportedOnTheRoute()
    {
        var error = SingleError("""
            functions:
              orders:
                runtime: provided
                code: orders
                routes:
                  - FETCH /orders
            """);

        Assert.Equal("functions.orders.routes[0]", error.Field);
        Assert.Equal(6, error.Line);
        Assert.StartsWith("method 'FETCH' is not one of GET", error.Message);
    }

    [Theory]
    [InlineData("GET orders", "path must start with '/'")]
    [InlineData("GET /files/{path+}/meta", "path has the greedy parameter '{path+}' before the end")]
    [InlineData("GET /order-{id}", "a parameter takes a whole segment")]
    [InlineData("GET /api/v1/x", "path must not start with '/api/'")]
    public void Parse_InvalidRoutePath_IsReportedOnTheRoute(string route, string message)
    {
        var error = SingleError($"""
            functions:
              orders:
                runtime: provided
                code: orders
                routes:
                  - {route}
            """);

        Assert.Equal("functions.orders.routes[0]", error.Field);
        Assert.Equal(6, error.Line);
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void Parse_LongFormRoute_ErrorsPointAtItsKeys()
    {
        var errors = Invalid("""
            functions:
              orders:
                runtime: provided
                code: orders
                routes:
                  - method: GET
                    path: orders
                  - methd: GET
                    path: /x
            """);

        Assert.Contains(errors, e => e is { Field: "functions.orders.routes[0].path", Line: 7, Message: "must start with '/'" });
        Assert.Contains(errors, e => e is { Field: "functions.orders.routes[1].methd", Line: 8, Message: "unknown key 'methd'; did you mean 'method'?" });
        Assert.Contains(errors, e => e.Field == "functions.orders.routes[1].method" && e.Message.StartsWith("is required", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_RoutesNotAList_IsAnError()
    {
        var error = SingleError("""
            functions:
              orders:
                runtime: provided
                code: orders
                routes: GET /orders
            """);

        Assert.Equal("functions.orders.routes", error.Field);
        Assert.Contains("must be a list of routes", error.Message);
    }

    [Fact]
    public void Parse_SameRouteInTwoFunctions_NamesBoth()
    {
        var error = SingleError("""
            functions:
              orders:
                runtime: provided
                code: orders
                routes:
                  - GET /orders/{id}
              orders-v2:
                runtime: provided
                code: orders2
                routes:
                  - get /orders/{id}
            """);

        Assert.Equal("functions.orders-v2.routes[0]", error.Field);
        Assert.Equal(11, error.Line);
        Assert.Equal("route 'GET /orders/{id}' is already declared by function 'orders' (line 6); each route must lead to one function", error.Message);
    }

    [Fact]
    public void Parse_RoutesDifferingOnlyInParameterNames_Conflict()
    {
        var error = SingleError("""
            functions:
              a:
                runtime: provided
                code: a
                routes: ["GET /orders/{id}"]
              b:
                runtime: provided
                code: b
                routes:
                  - GET /orders/{orderId}/
            """);

        Assert.Equal("functions.b.routes[0]", error.Field);
        Assert.Contains("matches the same requests as 'GET /orders/{id}' declared by function 'a' (line 5)", error.Message);
    }

    [Fact]
    public void Parse_SameRouteTwiceInOneFunction_IsAnError()
    {
        var error = SingleError("""
            functions:
              a:
                runtime: provided
                code: a
                routes:
                  - GET /x
                  - method: GET
                    path: /x
            """);

        Assert.Equal("functions.a.routes[1]", error.Field);
        Assert.Contains("is already declared in this function (line 6)", error.Message);
    }

    [Fact]
    public void Parse_SamePathDifferentMethods_IsFine()
    {
        var manifest = Valid("""
            functions:
              a:
                runtime: provided
                code: a
                routes: [GET /x, ANY /x]
              b:
                runtime: provided
                code: b
                routes: [POST /x]
            """);

        Assert.Equal(2, manifest.Functions.Count);
    }

    [Fact]
    public void Parse_ProvisionedAboveReserved_IsAnError()
    {
        var error = SingleError("""
            functions:
              a:
                runtime: provided
                code: a
                reservedConcurrency: 2
                provisionedConcurrency: 5
            """);

        Assert.Equal("functions.a.provisionedConcurrency", error.Field);
        Assert.Equal(6, error.Line);
        Assert.StartsWith("must not be greater than reservedConcurrency (2), was 5", error.Message);
    }

    [Fact]
    public void Parse_NegativeConcurrency_IsAnError()
    {
        var errors = Invalid("""
            functions:
              a:
                runtime: provided
                code: a
                reservedConcurrency: -1
                provisionedConcurrency: -2
            """);

        Assert.Contains(errors, e => e is { Field: "functions.a.reservedConcurrency", Line: 5, Message: "must be 0 (disabled) or more" });
        Assert.Contains(errors, e => e is { Field: "functions.a.provisionedConcurrency", Line: 6, Message: "must be 0 or more, was -2" });
    }

    [Fact]
    public void Parse_ConcurrencyNotANumber_IsAnError()
    {
        var error = SingleError("""
            functions:
              a:
                runtime: provided
                code: a
                reservedConcurrency: many
            """);

        Assert.Equal("must be a whole number of instances (0 disables the function), was 'many'", error.Message);
    }

    [Theory]
    [InlineData("3")]
    [InlineData("$LATEST")]
    [InlineData("live!")]
    public void Parse_InvalidAlias_IsAnError(string alias)
    {
        var error = SingleError($"""
            functions:
              a:
                runtime: provided
                code: a
                alias: "{alias}"
            """);

        Assert.Equal("functions.a.alias", error.Field);
        Assert.Equal(5, error.Line);
        Assert.Contains($"was '{alias}'", error.Message);
    }

    [Fact]
    public void Parse_EnvironmentProblems_PointAtEachVariable()
    {
        var errors = Invalid("""
            functions:
              a:
                runtime: provided
                code: a
                environment:
                  GOOD: yes
                  EMPTY:
                  NESTED: {a: 1}
                  AWS_LAMBDA_RUNTIME_API: x
                  1BAD: x
            """);

        Assert.Equal(4, errors.Count);
        Assert.Contains(errors, e => e is { Field: "functions.a.environment.EMPTY", Line: 7 } && e.Message.Contains("has no value", StringComparison.Ordinal));
        Assert.Contains(errors, e => e is { Field: "functions.a.environment.NESTED", Line: 8, Message: "must be a string, number or boolean, not a mapping" });
        Assert.Contains(errors, e => e is { Field: "functions.a.environment.AWS_LAMBDA_RUNTIME_API", Line: 9, Message: "is reserved by the platform" });
        Assert.Contains(errors, e => e is { Field: "functions.a.environment.1BAD", Line: 10, Message: "is not a valid variable name" });
    }

    [Fact]
    public void Parse_EmptyStringEnvironmentValue_IsAllowedWhenQuoted()
    {
        var manifest = Valid("""
            functions:
              a:
                runtime: provided
                code: a
                environment:
                  EMPTY: ''
            """);

        Assert.Equal("", manifest.Functions[0].Config.Environment["EMPTY"]);
    }

    [Fact]
    public void Parse_ErrorsInSeveralFunctions_AreAllReportedInLineOrder()
    {
        var errors = Invalid("""
            functions:
              a:
                runtime: provided
                code: a
                memory: big
              b:
                runtime: node
                code: b
                timeout: 0
            """);

        Assert.Equal(["functions.a.memory", "functions.b.handler", "functions.b.timeout"], errors.Select(e => e.Field));
        Assert.Equal([5, 6, 9], errors.Select(e => e.Line));
    }

    [Fact]
    public void Parse_AnchorsAndAliases_AreResolved()
    {
        var manifest = Valid("""
            functions:
              a:
                runtime: provided
                code: a
                environment: &shared
                  STAGE: prod
              b:
                runtime: provided
                code: b
                environment: *shared
            """);

        Assert.Equal("prod", manifest.Functions[1].Config.Environment["STAGE"]);
    }
}
