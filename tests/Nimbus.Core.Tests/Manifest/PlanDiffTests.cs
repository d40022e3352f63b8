using Nimbus.Core.Api;
using Nimbus.Core.Functions;
using Nimbus.Core.Manifest;

namespace Nimbus.Core.Tests.Manifest;

public class PlanDiffTests
{
    private const string Sha = "aaaa1111";
    private static readonly DateTimeOffset s_time = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    private static FunctionManifest Manifest(
        string name = "orders", int memory = 128, string? alias = null, int? provisioned = null,
        Dictionary<string, string>? environment = null, IReadOnlyList<HttpRouteConfig>? routes = null) =>
        new(
            new FunctionConfig
            {
                Name = name,
                Runtime = "node",
                Handler = "index.handler",
                MemoryMb = memory,
                Environment = environment ?? [],
                Routes = routes ?? [],
            },
            "/code/" + name, alias, provisioned, null, 2);

    private static FunctionInfo Deployed(FunctionManifest manifest, string? sha = Sha) => FunctionInfo.From(
        new FunctionRecord(manifest.DeployConfig(), sha, 100, 1, s_time, s_time));

    private static VersionInfo Version(FunctionManifest manifest, int number, string sha = Sha) =>
        new(manifest.Config.Name, number, sha, 100, null, s_time, manifest.DeployConfig());

    private static AliasInfo Alias(string name, int version, Dictionary<string, double>? weights = null) =>
        new("orders", name, version, weights ?? [], null, s_time);

    private static FunctionPlan PlanOne(FunctionManifest manifest, DeployedFunction? deployed, string sha = Sha) =>
        Assert.Single(PlanDiff.Compute([new PlannedFunction(manifest, sha)], deployed is null ? [] : [deployed], [manifest.Config.Name]).Functions);

    [Fact]
    public void NewFunction_IsCreated_WithEverySettingListed()
    {
        var plan = PlanOne(Manifest(routes: [new HttpRouteConfig("GET", "/orders")]), null);

        Assert.Equal(PlanAction.Create, plan.Action);
        Assert.Equal(new CodeChange(null, Sha), plan.Code);
        Assert.Equal(
            [
                new FieldChange("runtime", null, "node"),
                new FieldChange("handler", null, "index.handler"),
                new FieldChange("memory", null, "128 MB"),
                new FieldChange("timeout", null, "3 s"),
                new FieldChange("routes", null, "GET /orders -> $LATEST"),
            ],
            plan.Changes);
    }

    [Fact]
    public void FunctionAsDeployed_IsUnchanged()
    {
        var manifest = Manifest(environment: new() { ["A"] = "1" });

        var plan = PlanOne(manifest, DeployedFunction.Bare(Deployed(manifest)));

        Assert.Equal(PlanAction.Unchanged, plan.Action);
        Assert.Null(plan.Code);
        Assert.Empty(plan.Changes);
    }

    [Fact]
    public void DifferentPackage_IsACodeChange_FromTheDeployedDigest()
    {
        var manifest = Manifest();

        var plan = PlanOne(manifest, DeployedFunction.Bare(Deployed(manifest)), sha: "bbbb2222");

        Assert.Equal(PlanAction.Update, plan.Action);
        Assert.Equal(new CodeChange(Sha, "bbbb2222"), plan.Code);
        Assert.Empty(plan.Changes);
    }

    [Fact]
    public void ChangedSettings_AreListedOldToNew_VariableByVariable_AndRouteByRoute()
    {
        var before = Manifest(memory: 128, environment: new() { ["KEEP"] = "x", ["GONE"] = "1", ["EDIT"] = "old" }, routes: [new HttpRouteConfig("GET", "/a")]);
        var after = Manifest(memory: 256, environment: new() { ["KEEP"] = "x", ["EDIT"] = "new", ["ADDED"] = "" }, routes: [new HttpRouteConfig("GET", "/b")]);

        var plan = PlanOne(after, DeployedFunction.Bare(Deployed(before)));

        Assert.Equal(PlanAction.Update, plan.Action);
        Assert.Equal(
            [
                new FieldChange("memory", "128 MB", "256 MB"),
                new FieldChange("environment.ADDED", null, ""),
                new FieldChange("environment.EDIT", "old", "new"),
                new FieldChange("environment.GONE", "1", null),
                new FieldChange("routes", "GET /a -> $LATEST", null),
                new FieldChange("routes", null, "GET /b -> $LATEST"),
            ],
            plan.Changes);
    }

    [Fact]
    public void AliasOfANewFunction_IsCreated_OnVersion1()
    {
        var plan = PlanOne(Manifest(alias: "live"), null);

        Assert.Equal((AliasAction.Create, (int?)null, 1, true), (plan.Alias!.Action, plan.Alias.FromVersion, plan.Alias.ToVersion, plan.Alias.NewVersion));
    }

    [Fact]
    public void AliasOnTheNewestVersion_WhenNothingChanged_IsUnchanged()
    {
        var manifest = Manifest(alias: "live");
        var deployed = new DeployedFunction(Deployed(manifest), [Version(manifest, 1), Version(manifest, 2)], [Alias("live", 2)], []);

        var plan = PlanOne(manifest, deployed);

        Assert.Equal(PlanAction.Unchanged, plan.Action);
        Assert.Equal(AliasAction.Unchanged, plan.Alias!.Action);
    }

    [Fact]
    public void AliasBehindTheNewestVersion_MovesToIt_WithoutANewVersion()
    {
        var manifest = Manifest(alias: "live");
        var deployed = new DeployedFunction(Deployed(manifest), [Version(Manifest(memory: 512, alias: "live"), 1), Version(manifest, 2)], [Alias("live", 1)], []);

        var plan = PlanOne(manifest, deployed);

        Assert.Equal(PlanAction.Update, plan.Action);
        Assert.Equal((AliasAction.Move, 1, 2, false), (plan.Alias!.Action, plan.Alias.FromVersion, plan.Alias.ToVersion, plan.Alias.NewVersion));
    }

    [Fact]
    public void ChangedCode_MovesTheAliasToTheNextVersion_AndDropsItsWeights()
    {
        var manifest = Manifest(alias: "live");
        var deployed = new DeployedFunction(
            Deployed(manifest), [Version(manifest, 1), Version(manifest, 2)], [Alias("live", 1, new() { ["2"] = 0.1 })], []);

        var plan = PlanOne(manifest, deployed, sha: "bbbb2222");

        Assert.Equal((AliasAction.Move, 1, 3, true), (plan.Alias!.Action, plan.Alias.FromVersion, plan.Alias.ToVersion, plan.Alias.NewVersion));
        Assert.Equal(0.1, plan.Alias.FromAdditionalVersions["2"]);
    }

    [Fact]
    public void ProvisionedConcurrency_IsComparedOnTheAliasItIsSetFor()
    {
        var manifest = Manifest(alias: "live", provisioned: 2);
        var deployed = new DeployedFunction(
            Deployed(manifest), [Version(manifest, 1)], [Alias("live", 1)], [new ProvisionedConcurrencyRecord("orders", "live", 1)]);

        var plan = PlanOne(manifest, deployed);

        Assert.Equal(PlanAction.Update, plan.Action);
        Assert.Equal([new FieldChange("provisionedConcurrency[live]", "1", "2")], plan.Changes);
    }

    [Fact]
    public void DeployedFunctionsOutsideTheManifest_AreListedAsUnmanaged_NotChanged()
    {
        var manifest = Manifest();
        var other = Manifest("legacy");

        var plan = PlanDiff.Compute(
            [new PlannedFunction(manifest, Sha)], [DeployedFunction.Bare(Deployed(other)), DeployedFunction.Bare(Deployed(manifest))], ["orders"]);

        Assert.Equal(["legacy"], plan.Unmanaged);
        Assert.False(plan.HasChanges);
    }

    [Fact]
    public void RouteServedByAFunctionOutsideTheDeploy_IsAnErrorAtTheRoutesLine()
    {
        var manifest = Manifest(routes: [new HttpRouteConfig("GET", "/fine"), new HttpRouteConfig("GET", "/orders/{orderId}")]) with
        {
            KeyLines = new Dictionary<string, int> { ["routes[1]"] = 9 },
        };
        var legacy = Manifest("legacy", routes: [new HttpRouteConfig("GET", "/orders/{id}")]);

        var errors = PlanDiff.FindConflicts([manifest], [DeployedFunction.Bare(Deployed(legacy))]);

        var error = Assert.Single(errors);
        Assert.Equal(("functions.orders.routes[1]", 9), (error.Field, error.Line));
        Assert.StartsWith(
            "route 'GET /orders/{orderId}' is already served by deployed function 'legacy' (as 'GET /orders/{id}', which matches the same requests)",
            error.Message);
    }

    [Fact]
    public void RouteMovingBetweenFunctionsOfTheSameDeploy_IsNoConflict()
    {
        var taker = Manifest("b", routes: [new HttpRouteConfig("GET", "/x")]);
        var giver = Manifest("a");

        Assert.Empty(PlanDiff.FindConflicts([giver, taker], [DeployedFunction.Bare(Deployed(Manifest("a", routes: [new HttpRouteConfig("GET", "/x")])))]));
    }
}
