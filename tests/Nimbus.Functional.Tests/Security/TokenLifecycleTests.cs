using System.Net;
using System.Net.Http.Json;
using Nimbus.Core.Api;
using Nimbus.Core.Security;
using Nimbus.Functional.Tests.Infrastructure;

namespace Nimbus.Functional.Tests.Security;

public sealed class TokenLifecycleTests : IClassFixture<SharedServer>
{
    private readonly NimbusTestServer _nimbus;

    public TokenLifecycleTests(SharedServer shared) => _nimbus = shared.Nimbus;

    [Fact]
    public async Task WrongToken_Is401InvalidToken()
    {
        var real = await _nimbus.CreateIdentityAsync(Roles.Viewer);
        var wrong = real.Token![..^4] + "AAAA";

        using var response = await _nimbus.ClientWithToken(wrong).GetAsync("/api/v1/functions");
        using var garbage = await _nimbus.ClientWithToken("nonsense").GetAsync("/api/v1/functions");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("invalid_token", response.Headers.WwwAuthenticate.ToString());
        Assert.Equal(HttpStatusCode.Unauthorized, garbage.StatusCode);
    }

    [Fact]
    public async Task RevokedToken_StopsAuthenticatingAtOnce()
    {
        var created = await _nimbus.CreateIdentityAsync(Roles.Viewer);
        using var client = _nimbus.ClientWithToken(created.Token!);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/functions")).StatusCode);

        using var revoke = await _nimbus.Client.DeleteAsync($"/api/v1/tokens/{created.Identity.Id}");
        using var after = await client.GetAsync("/api/v1/functions");
        using var again = await _nimbus.Client.DeleteAsync($"/api/v1/tokens/{created.Identity.Id}");

        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        var listed = await _nimbus.Client.GetFromJsonAsync<IdentityInfo[]>("/api/v1/tokens", NimbusTestServer.Json);
        Assert.NotNull(listed!.Single(t => t.Id == created.Identity.Id).RevokedAt);
    }

    [Fact]
    public async Task CreatedToken_SecretIsShownOnceAndNeverListedNorStoredInTheClear()
    {
        var created = await _nimbus.CreateIdentityAsync(Roles.Operator, "orders*");
        var listing = await _nimbus.Client.GetStringAsync("/api/v1/tokens");
        var database = await File.ReadAllBytesAsync(Path.Combine(_nimbus.DataDirectory, "nimbus.db"));
        var wal = Path.Combine(_nimbus.DataDirectory, "nimbus.db-wal");
        var walBytes = File.Exists(wal) ? await File.ReadAllBytesAsync(wal) : [];
        var secret = created.Token!.Split('.')[1];

        Assert.Contains(created.Identity.Id, listing);
        Assert.DoesNotContain(secret, listing);
        Assert.DoesNotContain(secret, System.Text.Encoding.ASCII.GetString(database) + System.Text.Encoding.ASCII.GetString(walBytes));
        Assert.Equal("orders*", created.Identity.Functions);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task CreatedKey_SecretIsEncryptedAtRestAndTheKeyFileIsPrivate()
    {
        var created = await _nimbus.CreateIdentityAsync(Roles.Invoker, kind: "keys");
        var wal = Path.Combine(_nimbus.DataDirectory, "nimbus.db-wal");
        var stored = System.Text.Encoding.ASCII.GetString(await File.ReadAllBytesAsync(Path.Combine(_nimbus.DataDirectory, "nimbus.db")))
            + (File.Exists(wal) ? System.Text.Encoding.ASCII.GetString(await File.ReadAllBytesAsync(wal)) : "");

        Assert.StartsWith("NKIA", created.Identity.Id);
        Assert.DoesNotContain(created.SecretAccessKey!, stored);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_nimbus.DataDirectory, "access-keys.key")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_nimbus.DataDirectory, "admin-token")));
    }

    [Fact]
    public async Task CreateToken_UnknownRoleOrBadPattern_Is400NamingTheField()
    {
        using var role = await _nimbus.Client.PostAsJsonAsync("/api/v1/tokens", new CreateIdentityRequest("superuser"), NimbusTestServer.Json);
        using var pattern = await _nimbus.Client.PostAsJsonAsync("/api/v1/tokens", new CreateIdentityRequest("viewer", "a/b"), NimbusTestServer.Json);

        Assert.Equal(HttpStatusCode.BadRequest, role.StatusCode);
        Assert.Contains("'superuser' is not a role", await role.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, pattern.StatusCode);
        Assert.Contains("functions", await pattern.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Audit_RecordsAllowedAndDeniedManagementActions()
    {
        var viewer = await _nimbus.CreateIdentityAsync(Roles.Viewer);
        var config = """{"runtime":"node","handler":"index.handler"}""";
        using var allowed = await _nimbus.Client.PutAsync("/api/v1/functions/audited", new StringContent(config, System.Text.Encoding.UTF8, "application/json"));
        using var denied = await _nimbus.ClientWithToken(viewer.Token!).DeleteAsync("/api/v1/functions/audited");

        var records = await _nimbus.Client.GetFromJsonAsync<AuditRecord[]>("/api/v1/audit", NimbusTestServer.Json);

        var put = records!.Last(r => r.Target == "PUT /api/v1/functions/audited");
        Assert.Equal(AuditOutcomes.Allowed, put.Outcome);
        Assert.Equal(Roles.Admin, put.Role);
        Assert.Equal("audited", put.Function);
        Assert.Equal(Permissions.Deploy, put.Action);
        Assert.Equal("127.0.0.1", put.Source);
        var delete = records!.Last(r => r.Target == "DELETE /api/v1/functions/audited");
        Assert.Equal(AuditOutcomes.Denied, delete.Outcome);
        Assert.Equal(viewer.Identity.Id, delete.IdentityId);
        Assert.Equal(403, delete.Status);
        Assert.Contains(records!, r => r.Action == Permissions.ManageIdentities && r.Target == "POST /api/v1/tokens" && r.Outcome == AuditOutcomes.Allowed);
        Assert.Equal(HttpStatusCode.Forbidden, (await _nimbus.ClientWithToken(viewer.Token!).GetAsync("/api/v1/audit")).StatusCode);
    }
}
