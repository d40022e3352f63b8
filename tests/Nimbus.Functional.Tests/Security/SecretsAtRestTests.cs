using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Nimbus.Core.Api;
using Nimbus.Functional.Tests.Infrastructure;
using Nimbus.Server.Security.Secrets;

namespace Nimbus.Functional.Tests.Security;

/// <summary>Secrets in the SQLite file are ciphertext; the master key opens them, a wrong one is a clear error, rotation keeps them readable.</summary>
public sealed class SecretsAtRestTests
{
    private const string Value = "plaintext-that-must-not-be-on-disk-7f3a";

    [Fact]
    public async Task StoredSecret_IsNotInTheDatabaseFiles_AndTheKeyFileIsPrivate()
    {
        var dataDirectory = NewDataDirectory();
        await using (var nimbus = await NimbusTestServer.StartAsync(o => o with { DataDirectory = dataDirectory }))
        {
            var put = await nimbus.Client.PutAsJsonAsync("/api/v1/secrets/at-rest", new SecretValueRequest(Value), NimbusTestServer.Json);
            await NimbusTestServer.EnsureSuccessAsync(put, "set secret");
            var vault = nimbus.Server.Services.GetRequiredService<SecretVault>();
            Assert.Equal(Value, (await vault.ReadAsync("at-rest", CancellationToken.None))!.Value);

            // While running (the WAL holds the fresh pages) and, below, after the checkpoint at stop.
            AssertNotOnDisk(dataDirectory);
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(dataDirectory, "master.key")));
            }

            await nimbus.Server.StopAsync(CancellationToken.None);
            AssertNotOnDisk(dataDirectory);
        }
    }

    [Fact]
    public async Task WrongMasterKey_IsAClearErrorAndTheServerKeepsRunning()
    {
        var dataDirectory = NewDataDirectory();
        var first = await NimbusTestServer.StartAsync(o => o with { DataDirectory = dataDirectory });
        try
        {
            var put = await first.Client.PutAsJsonAsync("/api/v1/secrets/db", new SecretValueRequest(Value), NimbusTestServer.Json);
            await NimbusTestServer.EnsureSuccessAsync(put, "set secret");
        }
        finally
        {
            await StopKeepingDataAsync(first);
        }

        var otherKey = Convert.ToBase64String(new byte[32]);
        await using var second = await NimbusTestServer.StartAsync(o => o with { DataDirectory = dataDirectory, MasterKey = otherKey });
        var list = await second.Client.GetAsync("/api/v1/secrets");
        var set = await second.Client.PutAsJsonAsync("/api/v1/secrets/db", new SecretValueRequest("new-value-1"), NimbusTestServer.Json);
        var vault = second.Server.Services.GetRequiredService<SecretVault>();

        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, set.StatusCode);
        Assert.Contains("is not the key the stored secrets were encrypted with", await set.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var error = await Assert.ThrowsAsync<SecretVaultException>(() => vault.ReadAsync("db", CancellationToken.None));
        Assert.Contains("NIMBUS_MASTER_KEY", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MasterKeyRotation_RewrapsEveryKey_AndValuesStayReadableAcrossARestart()
    {
        var dataDirectory = NewDataDirectory();
        string oldKey;
        var first = await NimbusTestServer.StartAsync(o => o with { DataDirectory = dataDirectory });
        try
        {
            foreach (var name in new[] { "one", "two" })
            {
                var put = await first.Client.PutAsJsonAsync($"/api/v1/secrets/{name}", new SecretValueRequest(Value + name), NimbusTestServer.Json);
                await NimbusTestServer.EnsureSuccessAsync(put, $"set {name}");
            }

            oldKey = await File.ReadAllTextAsync(Path.Combine(dataDirectory, "master.key"));
            var rotation = await first.Client.PostAsync("/api/v1/secrets/rotate-master-key", null);
            await NimbusTestServer.EnsureSuccessAsync(rotation, "rotate master key");
            Assert.Equal(2, (await rotation.Content.ReadFromJsonAsync<MasterKeyRotationResult>(NimbusTestServer.Json))!.Rewrapped);
            var vault = first.Server.Services.GetRequiredService<SecretVault>();
            Assert.Equal(Value + "one", (await vault.ReadAsync("one", CancellationToken.None))!.Value);
        }
        finally
        {
            await StopKeepingDataAsync(first);
        }

        Assert.NotEqual(oldKey, await File.ReadAllTextAsync(Path.Combine(dataDirectory, "master.key")));
        Assert.False(File.Exists(Path.Combine(dataDirectory, "master.key.new")));
        var second = await NimbusTestServer.StartAsync(o => o with { DataDirectory = dataDirectory });
        try
        {
            var reopened = second.Server.Services.GetRequiredService<SecretVault>();
            Assert.Null(reopened.Unavailable);
            Assert.Equal(Value + "two", (await reopened.ReadAsync("two", CancellationToken.None))!.Value);
        }
        finally
        {
            await StopKeepingDataAsync(second);
        }

        // The old key no longer opens anything.
        await using var third = await NimbusTestServer.StartAsync(o => o with { DataDirectory = dataDirectory, MasterKey = oldKey });
        Assert.NotNull(third.Server.Services.GetRequiredService<SecretVault>().Unavailable);
    }

    /// <summary>Stops the server but keeps its data directory, for the next server of the test to open.</summary>
    private static async Task StopKeepingDataAsync(NimbusTestServer nimbus)
    {
        nimbus.Client.Dispose();
        await nimbus.Server.DisposeAsync();
    }

    private static string NewDataDirectory() => Path.Combine(Path.GetTempPath(), "nimbus-test-" + Guid.NewGuid().ToString("n")[..12]);

    private static void AssertNotOnDisk(string dataDirectory)
    {
        var needle = Encoding.UTF8.GetBytes(Value);
        foreach (var file in Directory.GetFiles(dataDirectory, "nimbus.db*"))
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var memory = new MemoryStream();
            stream.CopyTo(memory);
            Assert.True(memory.ToArray().AsSpan().IndexOf(needle) < 0, $"the plaintext was found in {Path.GetFileName(file)}");
        }
    }
}
