using System.Net;
using System.Text.Json;
using Nimbus.Cli.Packaging;
using Nimbus.Core.Functions;
using Nimbus.Functional.Tests.Infrastructure;
using Nimbus.Server.Storage;

namespace Nimbus.Functional.Tests.Api;

/// <summary>The server follows its store: a bad stored row does not stop it, and a second server on the store sees changes.</summary>
public sealed class StoreFollowingTests
{
    [Fact]
    public async Task Start_WithAPoisonedRowInTheStore_StartsAndServesTheOtherFunctions()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "nimbus-test-" + Guid.NewGuid().ToString("n")[..12]);
        await using (var store = new SqliteStore(Path.Combine(dataDirectory, "nimbus.db"), TimeProvider.System))
        {
            await store.InitializeAsync(CancellationToken.None);
            await store.UpsertFunctionConfigAsync(new FunctionConfig { Name = "healthy", Runtime = RuntimeNames.Node, Handler = "index.handler" },
                CancellationToken.None);
            // The row an older build saved for a 10,000-segment route: its routing build overflowed the stack on every start.
            var deep = "/" + string.Join('/', Enumerable.Repeat("a", 10_000));
            await store.UpsertFunctionConfigAsync(new FunctionConfig { Name = "poisoned", Runtime = RuntimeNames.Provided, Routes = [new("GET", deep)] },
                CancellationToken.None);
        }

        await using var nimbus = await NimbusTestServer.StartAsync(o => o with { DataDirectory = dataDirectory });
        await nimbus.UploadCodeAsync("healthy", DeterministicZip.Create(RepoPaths.Fixture("behaviours-node")));

        var healthy = await nimbus.InvokeAsync("healthy", new { action = "echo", value = 7 });
        var poisoned = await nimbus.InvokeAsync("poisoned", new { action = "echo" });

        Assert.Equal(HttpStatusCode.OK, healthy.Status);
        Assert.Equal(7, JsonDocument.Parse(healthy.Body).RootElement.GetProperty("value").GetInt32());
        Assert.Equal(HttpStatusCode.NotFound, poisoned.Status);
        // Still in the store, so it can be fixed with a PUT or deleted.
        Assert.Equal(HttpStatusCode.OK, (await nimbus.Client.GetAsync("/api/v1/functions/poisoned")).StatusCode);
    }

    [Fact]
    public async Task SecondServerOnTheSameDataDirectory_ServesWhatTheFirstDeploys()
    {
        await using var first = await NimbusTestServer.StartAsync();
        await using var second = await NimbusTestServer.StartAsync(o => o with { DataDirectory = first.DataDirectory });

        await first.DeployNodeAsync("shared");

        // The second server learns of the change from the store's generation on its next poll (1 s).
        Assert.True(await NimbusTestServer.EventuallyAsync(async () => (await second.InvokeAsync("shared", new { action = "echo" })).Status == HttpStatusCode.OK,
            TimeSpan.FromSeconds(30)), "the second server never served the function the first deployed");
    }
}
