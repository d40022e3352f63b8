using System.Text.Json;
using Nimbus.Cli.Tests.Support;
using Nimbus.Core.Deployments;
using Nimbus.Core.Deployments.Shadow;

namespace Nimbus.Cli.Tests.Commands;

/// <summary><c>rollback</c> and <c>deployments …</c> through <see cref="CliApp"/>, against canned API answers.</summary>
public sealed class DeploymentCommandsTests : IAsyncLifetime
{
    private static readonly DateTimeOffset s_time = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private StubApiServer _stub = null!;

    public async Task InitializeAsync() => _stub = await StubApiServer.StartAsync();

    public async Task DisposeAsync() => await _stub.DisposeAsync();

    private Task<CliRun> Run(params string[] args) => CliRun.RunAsync([.. args, "--url", _stub.BaseAddress.ToString()]);

    private static DeploymentInfo Info(DeploymentStatus status = DeploymentStatus.InProgress, DeploymentState state = DeploymentState.Shifting) =>
        new("dep-1", "orders", "live", "1", "2", "Canary10Percent5Minutes", status, state, 1, 2, 10, null, "started: 10% on version 2", false, s_time, s_time);

    [Fact]
    public async Task Rollback_NameAndAlias_PostsTheRollbackAndSaysWhereTheAliasIs()
    {
        _stub.On("POST", "/api/v1/functions/orders/aliases/live/rollback", 200, Samples.Json(new RollbackResult("orders", "live", "2", "1", "dep-1")));

        var run = await Run("rollback", "orders:live");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("orders: alias live -> 1 (was 2) (deployment dep-1 rolled back)\n", run.Out);
    }

    [Fact]
    public async Task Rollback_WithoutAliasWhenTheFunctionHasOne_UsesIt()
    {
        _stub.On("GET", "/api/v1/functions/orders/aliases", 200, Samples.Json(new[] { Samples.Alias("orders", "prod", 2) }))
            .On("POST", "/api/v1/functions/orders/aliases/prod/rollback", 200, Samples.Json(new RollbackResult("orders", "prod", "2", "1", null)));

        var run = await Run("rollback", "orders");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("orders: alias prod -> 1 (was 2)\n", run.Out);
    }

    [Fact]
    public async Task Rollback_WithoutAliasWhenTheFunctionHasSeveral_AsksWhich()
    {
        _stub.On("GET", "/api/v1/functions/orders/aliases", 200, Samples.Json(new[] { Samples.Alias("orders", "prod", 2), Samples.Alias("orders", "beta", 3) }));

        var run = await Run("rollback", "orders");

        Assert.NotEqual(0, run.ExitCode);
        Assert.Equal("nimbus: 'orders' has 2 aliases; say which: orders:beta, orders:prod\n", run.Error);
        Assert.DoesNotContain(_stub.Requests, r => r.Method == "POST");
    }

    [Fact]
    public async Task Rollback_ServerRefusal_IsOneLineAndNonZero()
    {
        _stub.On("POST", "/api/v1/functions/orders/aliases/live/rollback", 409,
            """{"title":"No earlier version","status":409,"detail":"orders:live serves version 1, and no deployment to it is recorded"}""",
            contentType: "application/problem+json");

        var run = await Run("rollback", "orders:live");

        Assert.NotEqual(0, run.ExitCode);
        Assert.StartsWith("nimbus: ", run.Error, StringComparison.Ordinal);
        Assert.Contains("no deployment to it is recorded", run.Error, StringComparison.Ordinal);
        Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task DeploymentsList_WithName_AsksForThatFunctionAndPrintsATable()
    {
        _stub.On("GET", "/api/v1/deployments", 200, Samples.Json(new[] { Info() }));

        var run = await Run("deployments", "list", "orders");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("?function=orders", Assert.Single(_stub.Requests).Query);
        Assert.Contains("InProgress (Shifting)", run.Out, StringComparison.Ordinal);
        Assert.Contains("1 -> 2", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeploymentsList_WithoutName_ListsAll()
    {
        _stub.On("GET", "/api/v1/deployments", 200, "[]");

        var run = await Run("deployments", "list");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("", Assert.Single(_stub.Requests).Query);
    }

    [Fact]
    public async Task DeploymentsGet_JsonOutput_IsTheDeploymentWithStatusAsText()
    {
        _stub.On("GET", "/api/v1/deployments/dep-1", 200, Samples.Json(Info(DeploymentStatus.RolledBack, DeploymentState.RolledBack)));

        var run = await Run("deployments", "get", "dep-1", "--output", "json");

        Assert.Equal(0, run.ExitCode);
        using var document = JsonDocument.Parse(run.Out);
        Assert.Equal("RolledBack", document.RootElement.GetProperty("status").GetString());
        Assert.Equal("dep-1", document.RootElement.GetProperty("id").GetString());
    }

    [Theory]
    [InlineData("stop")]
    [InlineData("promote")]
    public async Task DeploymentsStopAndPromote_PostToTheirEndpoint(string verb)
    {
        _stub.On("POST", $"/api/v1/deployments/dep-1/{verb}", 200, Samples.Json(Info(DeploymentStatus.Stopped, DeploymentState.Stopped)));

        var run = await Run("deployments", verb, "dep-1");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal($"POST /api/v1/deployments/dep-1/{verb}", Assert.Single(_stub.Requests).ToString());
        Assert.Contains("Stopped", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeploymentsWatch_PrintsStepWeightsAndEachWatchedAlarmsState_AndExitsFiveOnRollback()
    {
        var shifting = Info() with
        {
            Step = 2, Steps = 3, NewVersionPercent = 10, Reason = "step 2 of 3: 10% on version 2",
            Alarms = [new("orders-error-rate", "OK", null), new("orders-throttles", "OK", null)],
        };
        var rolledBack = shifting with
        {
            Status = DeploymentStatus.RolledBack, State = DeploymentState.RolledBack, NewVersionPercent = 0,
            Reason = "alarm 'orders-error-rate' is in ALARM on version 2: Threshold Crossed: 3 out of the last 3 datapoints",
            Alarms = [new("orders-error-rate", "ALARM", "Threshold Crossed"), new("orders-throttles", "OK", null)],
        };
        var answers = 0;
        _stub.On("GET", "/api/v1/deployments/dep-1", _ => new(200, Samples.Json(Interlocked.Increment(ref answers) == 1 ? shifting : rolledBack)));

        var run = await Run("deployments", "watch", "dep-1");

        Assert.Equal(5, run.ExitCode);
        var lines = run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.EndsWith(
            "dep-1 orders:live InProgress (Shifting) step 2/3  live: v1 90% / v2 10%  alarms: orders-error-rate OK, orders-throttles OK; "
            + "step 2 of 3: 10% on version 2", lines[0], StringComparison.Ordinal);
        Assert.EndsWith(
            "dep-1 orders:live RolledBack step 2/3  live: v1 100%  alarms: orders-error-rate ALARM, orders-throttles OK; "
            + "alarm 'orders-error-rate' is in ALARM on version 2: Threshold Crossed: 3 out of the last 3 datapoints", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeploymentsGet_ShadowDeployment_PrintsItsReport_AndJsonHasIt()
    {
        var report = new ShadowReport(6, 6, 3, 2, 0, 1, 1, 4, 12.5, 20, 30, 41.25,
            [new ShadowExample("req-7", ShadowDifference.OutcomeDiffers, "Success: {\"n\":1}", "FunctionError Error: {}")]);
        _stub.On("GET", "/api/v1/deployments/dep-1", 200, Samples.Json(Info() with { Strategy = "Shadow100Percent1Hour", Shadow = report }));

        var table = await Run("deployments", "get", "dep-1");
        var json = await Run("deployments", "get", "dep-1", "--output", "json");

        Assert.Equal(0, table.ExitCode);
        Assert.Contains("mirrored 6, compared 6: same 3, outcome differs 2, error type differs 0, body differs 1; dropped 1; suppressed calls 4", table.Out, StringComparison.Ordinal);
        Assert.Contains("p50 live 12.5 ms / shadow 20 ms; p99 live 30 ms / shadow 41.25 ms", table.Out, StringComparison.Ordinal);
        Assert.Contains("req-7 OutcomeDiffers: live Success: {\"n\":1} | shadow FunctionError Error: {}", table.Out, StringComparison.Ordinal);
        using var document = JsonDocument.Parse(json.Out);
        var shadow = document.RootElement.GetProperty("shadow");
        Assert.Equal(2, shadow.GetProperty("outcomeDiffers").GetInt64());
        Assert.Equal("OutcomeDiffers", shadow.GetProperty("examples")[0].GetProperty("difference").GetString());
    }

    [Fact]
    public async Task DeploymentsGet_CanaryDeployment_HasNoShadowRows()
    {
        _stub.On("GET", "/api/v1/deployments/dep-1", 200, Samples.Json(Info()));

        var run = await Run("deployments", "get", "dep-1");

        Assert.DoesNotContain("shadow", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeploymentsGet_ShowsTheWeightsAndTheWatchedAlarms()
    {
        _stub.On("GET", "/api/v1/deployments/dep-1", 200, Samples.Json(Info() with { Alarms = [new("orders-error-rate", "INSUFFICIENT_DATA", null)] }));

        var run = await Run("deployments", "get", "dep-1");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("live: v1 90% / v2 10%", run.Out, StringComparison.Ordinal);
        Assert.Contains("orders-error-rate INSUFFICIENT_DATA", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeploymentsGet_JsonOutput_CarriesTheWatchedAlarms()
    {
        _stub.On("GET", "/api/v1/deployments/dep-1", 200, Samples.Json(Info() with { Alarms = [new("orders-error-rate", "OK", null)] }));

        var run = await Run("deployments", "get", "dep-1", "--output", "json");

        using var document = JsonDocument.Parse(run.Out);
        var alarm = Assert.Single(document.RootElement.GetProperty("alarms").EnumerateArray());
        Assert.Equal(("orders-error-rate", "OK"), (alarm.GetProperty("name").GetString(), alarm.GetProperty("state").GetString()));
    }
}
