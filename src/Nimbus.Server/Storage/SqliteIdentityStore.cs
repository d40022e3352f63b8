using Dapper;
using Nimbus.Core.Api;

namespace Nimbus.Server.Storage;

/// <summary>Tokens and access keys in the store's SQLite file (table <c>identities</c>).</summary>
public sealed class SqliteIdentityStore(SqliteStore store)
{
    private const string Columns = "id, kind, role, function_scope, description, token_sha256, secret_encrypted, created_at, created_by, revoked_at";

    public Task InsertAsync(StoredIdentity identity, CancellationToken cancellationToken) =>
        store.WriteDurablyAsync((connection, transaction) => connection.Execute(
            $"INSERT INTO identities ({Columns}) VALUES (@id, @kind, @role, @scope, @description, @hash, @secret, @createdAt, @createdBy, NULL)",
            new
            {
                id = identity.Info.Id,
                kind = identity.Info.Kind,
                role = identity.Info.Role,
                scope = identity.Info.Functions,
                description = identity.Info.Description,
                hash = identity.TokenSha256,
                secret = identity.SecretEncrypted,
                createdAt = identity.Info.CreatedAt.ToUnixTimeMilliseconds(),
                createdBy = identity.Info.CreatedBy,
            },
            transaction), cancellationToken);

    /// <summary>All identities, revoked ones included, oldest first.</summary>
    public Task<IReadOnlyList<StoredIdentity>> ListAsync(CancellationToken cancellationToken) =>
        store.ReadWithAsync<IReadOnlyList<StoredIdentity>>(connection => connection
            .Query<Row>($"SELECT {Columns} FROM identities ORDER BY created_at, id")
            .Select(ToIdentity).ToList(), cancellationToken);

    /// <returns>False when there is no such identity of that kind, or it was revoked already.</returns>
    public Task<bool> RevokeAsync(string id, string kind, DateTimeOffset now, CancellationToken cancellationToken) =>
        store.WriteDurablyAsync((connection, transaction) => connection.Execute(
            "UPDATE identities SET revoked_at = @now WHERE id = @id AND kind = @kind AND revoked_at IS NULL",
            new { id, kind, now = now.ToUnixTimeMilliseconds() }, transaction) == 1, cancellationToken);

    private static StoredIdentity ToIdentity(Row row) => new(
        new IdentityInfo(row.id, row.kind, row.role, row.function_scope, row.description,
            DateTimeOffset.FromUnixTimeMilliseconds(row.created_at), row.created_by,
            row.revoked_at is { } revoked ? DateTimeOffset.FromUnixTimeMilliseconds(revoked) : null),
        row.token_sha256,
        row.secret_encrypted);

#pragma warning disable IDE1006 // Dapper maps columns by name.
    private sealed record Row(
        string id, string kind, string role, string? function_scope, string? description, string? token_sha256, byte[]? secret_encrypted,
        long created_at, string created_by, long? revoked_at);
#pragma warning restore IDE1006
}
