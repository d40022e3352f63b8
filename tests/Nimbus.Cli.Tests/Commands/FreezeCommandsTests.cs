using System.Text.Json;
using Nimbus.Cli.Tests.Support;
using Nimbus.Core.Deployments;

namespace Nimbus.Cli.Tests.Commands;

/// <summary><c>freeze add|list|remove</c> through <see cref="CliApp"/>, against canned API answers.</summary>
public sealed class FreezeCommandsTests : IAsyncLifetime
{
    private static readonly DateTimeOffset s_now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private StubApiServer _stub = null!;

    public async Task InitializeAsync() => _stub = await StubApiServer.StartAsync();

    public async Task DisposeAsync() => await _stub.DisposeAsync();

    private Task<CliRun> Run(params string[] args) =>
        CliRun.RunAsync([.. args, "--url", _stub.BaseAddress.ToString()], time: new FixedClock(s_now));

    private static FreezeWindow Holidays() =>
        new(new(2026, 12, 24, 0, 0, 0, TimeSpan.Zero), new(2026, 12, 27, 0, 0, 0, TimeSpan.Zero), "holidays") { Id = "fw-12345678" };

    [Fact]
    public async Task Add_StartAndEnd_PostsThemAsWrittenAndSaysWhatIsFrozen()
    {
        _stub.On("POST", "/api/v1/freeze-windows", 201, Samples.Json(Holidays()));

        var run = await Run("freeze", "add", "--start", "2026-12-24T00:00Z", "--end", "2026-12-27T00:00Z", "--reason", "holidays");

        Assert.Equal(0, run.ExitCode);
        using var body = JsonDocument.Parse(Assert.Single(_stub.Requests).BodyText);
        Assert.Equal(("2026-12-24T00:00Z", "2026-12-27T00:00Z", "holidays"), (
            body.RootElement.GetProperty("start").GetString(), body.RootElement.GetProperty("end").GetString(), body.RootElement.GetProperty("reason").GetString()));
        Assert.Equal("fw-12345678: deployments of every function frozen from 2026-12-24 00:00:00Z to 2026-12-27 00:00:00Z (holidays)\n", run.Out);
    }

    [Fact]
    public async Task Add_For_StartsNowAndEndsAfterTheDuration_ForOneFunction()
    {
        _stub.On("POST", "/api/v1/freeze-windows", 201, Samples.Json(Holidays() with { Function = "orders" }));

        var run = await Run("freeze", "add", "--for", "2h", "--reason", "incident 42", "--function", "orders");

        Assert.Equal(0, run.ExitCode);
        using var body = JsonDocument.Parse(Assert.Single(_stub.Requests).BodyText);
        Assert.Equal(("2026-12-01T12:00:00Z", "2026-12-01T14:00:00Z", "orders"), (
            body.RootElement.GetProperty("start").GetString(), body.RootElement.GetProperty("end").GetString(), body.RootElement.GetProperty("function").GetString()));
    }

    [Theory]
    [InlineData("--reason", "x")]
    [InlineData("--end", "2026-12-27T00:00Z")]
    public async Task Add_WithoutEndOrReason_IsAUsageErrorSentNowhere(string option, string value)
    {
        var run = await Run("freeze", "add", option, value);

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("nimbus: freeze add needs --", run.Error, StringComparison.Ordinal);
        Assert.Empty(_stub.Requests);
    }

    [Fact]
    public async Task Add_ServerRefusal_IsOneLineNamingTheField()
    {
        _stub.On("POST", "/api/v1/freeze-windows", 400,
            """{"title":"Invalid freeze window","status":400,"errors":{"end":["must be after start (2026-12-24T00:00:00Z), was 2026-12-23T00:00:00Z"]}}""",
            contentType: "application/problem+json");

        var run = await Run("freeze", "add", "--start", "2026-12-24T00:00Z", "--end", "2026-12-23T00:00Z", "--reason", "holidays");

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("end: must be after start", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_ShowsEachWindowAndWhetherItIsInForce()
    {
        _stub.On("GET", "/api/v1/freeze-windows", 200, Samples.Json(new[]
        {
            new FreezeWindow(s_now.AddHours(-1), s_now.AddHours(1), "incident 42") { Id = "fw-aaaaaaaa", Function = "orders" },
            Holidays(),
        }));

        var run = await Run("freeze", "list");

        Assert.Equal(0, run.ExitCode);
        var lines = run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.Matches(@"^fw-aaaaaaaa\s+orders\s+2026-12-01 11:00:00Z\s+2026-12-01 13:00:00Z\s+in force\s+incident 42$", lines[1]);
        Assert.Matches(@"^fw-12345678\s+\*\s+.*\s+to come\s+holidays$", lines[2]);
    }

    [Fact]
    public async Task Remove_DeletesTheWindow()
    {
        _stub.On("DELETE", "/api/v1/freeze-windows/fw-12345678", 204);

        var run = await Run("freeze", "remove", "fw-12345678");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("DELETE /api/v1/freeze-windows/fw-12345678", Assert.Single(_stub.Requests).ToString());
    }

    /// <summary>Now is always <paramref name="now"/>; timers are the system's (the API client's timeouts).</summary>
    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
