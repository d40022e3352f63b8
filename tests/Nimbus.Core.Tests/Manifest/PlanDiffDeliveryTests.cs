using Nimbus.Core.Api;
using Nimbus.Core.Deployments;
using Nimbus.Core.Events;
using Nimbus.Core.Functions;
using Nimbus.Core.Idempotency;
using Nimbus.Core.Manifest;

namespace Nimbus.Core.Tests.Manifest;

/// <summary><c>nimbus plan</c> on the <c>async</c>, <c>idempotency</c> and <c>deployment</c> keys.</summary>
public sealed class PlanDiffDeliveryTests
{
    private const string Sha = "aaaa1111";
    private static readonly DateTimeOffset s_time = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    private static FunctionManifest Manifest(AsyncConfig? async = null, IdempotencyConfig? idempotency = null, string? strategy = null) =>
        new(
            new FunctionConfig { Name = "orders", Runtime = "node", Handler = "index.handler", Async = async, Idempotency = idempotency },
            "/code/orders", "live", null, null, 2)
        {
            Deployment = strategy is null
                ? null
                : new ManifestDeployment(DeploymentStrategyParser.Parse(strategy).Strategy!, new Dictionary<string, string?>(), [], null, null),
        };

    private static DeployedFunction Deployed(FunctionManifest manifest, params int[] versions) => new(
        FunctionInfo.From(new FunctionRecord(manifest.DeployConfig(), Sha, 100, 1, s_time, s_time)),
        [.. versions.Select(v => new VersionInfo("orders", v, Sha, 100, null, s_time, manifest.DeployConfig()))],
        versions.Length == 0 ? [] : [new AliasInfo("orders", "live", versions[0], new Dictionary<string, double>(), null, s_time)],
        []);

    private static FunctionPlan PlanOne(FunctionManifest manifest, DeployedFunction? deployed, string sha = Sha) =>
        Assert.Single(PlanDiff.Compute([new PlannedFunction(manifest, sha)], deployed is null ? [] : [deployed], ["orders"]).Functions);

    [Fact]
    public void AsyncAndIdempotency_AsDeployed_AreNoChange()
    {
        var manifest = Manifest(
            new AsyncConfig { MaximumRetryAttempts = 0, RetryDelaysSeconds = [5, 10], OnFailure = "function:dead" },
            new IdempotencyConfig { Key = "$.orderId", TtlSeconds = 600 });

        var plan = PlanOne(manifest, Deployed(manifest, 1));

        Assert.Equal(PlanAction.Unchanged, plan.Action);
        Assert.Empty(plan.Changes);
    }

    [Fact]
    public void ChangedAsyncAndIdempotency_AreListedSettingBySetting()
    {
        var before = Manifest(new AsyncConfig { MaximumRetryAttempts = 2, OnFailure = "dlq" }, new IdempotencyConfig { Key = "$.orderId" });
        var after = Manifest(
            new AsyncConfig { MaximumRetryAttempts = 0, MaximumEventAgeInSeconds = 600, RetryDelaysSeconds = [5, 10] },
            new IdempotencyConfig { Key = "header:Idempotency-Key", TtlSeconds = 600 });

        var plan = PlanOne(after, Deployed(before, 1));

        Assert.Equal(
            [
                new FieldChange("async.maximumRetryAttempts", "2", "0"),
                new FieldChange("async.maximumEventAge", null, "600 s"),
                new FieldChange("async.retryDelays", null, "5 s, 10 s"),
                new FieldChange("async.onFailure", "dlq", null),
                new FieldChange("idempotency.key", "$.orderId", "header:Idempotency-Key"),
                new FieldChange("idempotency.ttl", null, "600 s"),
            ],
            plan.Changes);
        Assert.True(plan.Alias!.NewVersion, "a changed async setting is a new version");
    }

    [Fact]
    public void RemovedIdempotency_IsListedAsGone()
    {
        var plan = PlanOne(Manifest(), Deployed(Manifest(idempotency: new IdempotencyConfig { Key = "$.id" }), 1));

        Assert.Equal([new FieldChange("idempotency.key", "$.id", null)], plan.Changes);
    }

    [Fact]
    public void AliasMoveWithADeploymentBlock_NamesTheStrategy()
    {
        var manifest = Manifest(strategy: "Canary10Percent5Minutes");

        var plan = PlanOne(manifest, Deployed(manifest, 1), sha: "bbbb2222");

        Assert.Equal((AliasAction.Move, 1, 2, "Canary10Percent5Minutes"), (plan.Alias!.Action, plan.Alias.FromVersion, plan.Alias.ToVersion, plan.Alias.Strategy));
    }

    [Fact]
    public void FirstDeployWithADeploymentBlock_CreatesTheAliasWithoutAStrategy()
    {
        var plan = PlanOne(Manifest(strategy: "Canary10Percent5Minutes"), null);

        Assert.Equal((AliasAction.Create, null), (plan.Alias!.Action, plan.Alias.Strategy));
    }

    [Fact]
    public void UnchangedAliasWithADeploymentBlock_StartsNothing()
    {
        var manifest = Manifest(strategy: "Canary10Percent5Minutes");

        var plan = PlanOne(manifest, Deployed(manifest, 1));

        Assert.Equal((AliasAction.Unchanged, null), (plan.Alias!.Action, plan.Alias.Strategy));
    }
}
