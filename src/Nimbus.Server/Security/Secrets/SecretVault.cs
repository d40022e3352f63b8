using System.Security.Cryptography;
using System.Text;
using Dapper;
using Microsoft.Data.Sqlite;
using Nimbus.Core.Api;
using Nimbus.Server.Storage;

namespace Nimbus.Server.Security.Secrets;

/// <summary>
/// Secrets at rest in the store's SQLite file, encrypted with AES-256-GCM: each version of a secret gets a fresh random
/// data key that seals its value, and the master key seals (wraps) the data key. Plaintext exists only in memory, for
/// the instance that is allowed to read it.
/// </summary>
/// <remarks>
/// A wrong master key does not stop the platform: functions without secrets run, and every secret operation answers
/// <see cref="SecretVaultException"/> saying so (checked once at start against a sealed known text).
/// </remarks>
public sealed class SecretVault
{
    /// <summary>Secrets Manager's limit for SecretString.</summary>
    public const int MaxValueBytes = 65536;

    private static readonly byte[] s_checkText = "nimbus master key check v1"u8.ToArray();
    private readonly SqliteStore _store;
    private readonly MasterKey _masterKey;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _rotation = new(1, 1);
    private string? _unavailable;

    internal SecretVault(SqliteStore store, MasterKey masterKey, TimeProvider time)
    {
        _store = store;
        _masterKey = masterKey;
        _time = time;
    }

    /// <summary>Why secrets cannot be read (a wrong master key), or null when they can.</summary>
    public string? Unavailable => Volatile.Read(ref _unavailable);

    /// <summary>Checks the master key against the stored check text, storing one on first use.</summary>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        var key = _masterKey.Key;
        var existing = await _store.ReadWithAsync(c => c.QuerySingleOrDefault<byte[]>("SELECT sealed FROM secret_master_check WHERE id = 1"), cancellationToken).ConfigureAwait(false);
        if (existing is null)
        {
            var sealedCheck = SecretCipher.Seal(key, s_checkText, "check"u8);
            await _store.WriteDurablyAsync((c, t) => c.Execute("INSERT OR IGNORE INTO secret_master_check (id, sealed) VALUES (1, @sealedCheck)", new { sealedCheck }, t), cancellationToken).ConfigureAwait(false);
            return;
        }

        try
        {
            SecretCipher.Open(key, existing, "check"u8);
        }
        catch (CryptographicException)
        {
            Volatile.Write(ref _unavailable,
                $"the master key ({_masterKey.Source}) is not the key the stored secrets were encrypted with; start Nimbus with the original key file or {MasterKey.EnvironmentVariable}");
        }
    }

    public Task<IReadOnlyList<SecretInfo>> ListAsync(CancellationToken cancellationToken) =>
        _store.ReadWithAsync<IReadOnlyList<SecretInfo>>(c => c.Query<SecretRow>(
            "SELECT name AS Name, version AS Version, version_id AS VersionId, created_at AS CreatedAt, updated_at AS UpdatedAt FROM secrets ORDER BY name")
            .Select(r => r.ToInfo()).ToList(), cancellationToken);

    /// <summary>Creates the secret, or gives an existing one a new version with this value.</summary>
    public Task<SecretInfo> SetAsync(string name, string value, CancellationToken cancellationToken) => WriteAsync(name, value, mustExist: false, cancellationToken)!;

    /// <summary>A new version of an existing secret; null when there is no such secret.</summary>
    public Task<SecretInfo?> RotateAsync(string name, string value, CancellationToken cancellationToken) => WriteAsync(name, value, mustExist: true, cancellationToken);

    public Task<bool> DeleteAsync(string name, CancellationToken cancellationToken) =>
        _store.WriteDurablyAsync((c, t) => c.Execute("DELETE FROM secrets WHERE name = @name", new { name }, t) == 1, cancellationToken);

    /// <summary>The current value, or null when there is no such secret.</summary>
    /// <exception cref="SecretVaultException">The master key cannot open it.</exception>
    public async Task<SecretValue?> ReadAsync(string name, CancellationToken cancellationToken)
    {
        ThrowIfUnavailable();
        var row = await _store.ReadWithAsync(c => c.QuerySingleOrDefault<SecretRow>(
            "SELECT name AS Name, version AS Version, version_id AS VersionId, value AS Value, data_key AS DataKey, created_at AS CreatedAt, updated_at AS UpdatedAt FROM secrets WHERE name = @name",
            new { name }), cancellationToken).ConfigureAwait(false);
        if (row is null)
        {
            return null;
        }

        try
        {
            var dataKey = SecretCipher.Open(_masterKey.Key, row.DataKey!, KeyContext(name));
            var plaintext = SecretCipher.Open(dataKey, row.Value!, ValueContext(name, row.Version));
            CryptographicOperations.ZeroMemory(dataKey);
            return new SecretValue(row.Name, (int)row.Version, row.VersionId, Encoding.UTF8.GetString(plaintext), DateTimeOffset.FromUnixTimeMilliseconds(row.UpdatedAt));
        }
        catch (CryptographicException ex)
        {
            throw new SecretVaultException($"secret '{name}' cannot be decrypted with the master key ({_masterKey.Source}): the key is wrong or the stored row was altered", ex);
        }
    }

    /// <summary>
    /// Re-wraps every data key with a new master key in one transaction; the new key file is staged before the commit
    /// and moved into place after it, so a crash leaves either the old key and old wrapping or both new.
    /// </summary>
    public async Task<int> RotateMasterKeyAsync(CancellationToken cancellationToken)
    {
        ThrowIfUnavailable();
        if (_masterKey.FilePath is null)
        {
            throw new InvalidOperationException(
                $"the master key comes from {MasterKey.EnvironmentVariable}; Nimbus cannot replace it there. Use a key file to rotate with Nimbus");
        }

        await _rotation.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var oldKey = _masterKey.Key;
            var newKey = SecretCipher.NewKey();
            var staged = _masterKey.Stage(newKey);
            int count;
            try
            {
                count = await _store.WriteDurablyAsync((c, t) =>
                {
                    var rows = c.Query<(string Name, byte[] DataKey)>("SELECT name, data_key FROM secrets", transaction: t).ToList();
                    foreach (var (name, wrapped) in rows)
                    {
                        var dataKey = SecretCipher.Open(oldKey, wrapped, KeyContext(name));
                        var rewrapped = SecretCipher.Seal(newKey, dataKey, KeyContext(name));
                        CryptographicOperations.ZeroMemory(dataKey);
                        c.Execute("UPDATE secrets SET data_key = @rewrapped WHERE name = @name", new { rewrapped, name }, t);
                    }

                    var sealedCheck = SecretCipher.Seal(newKey, s_checkText, "check"u8);
                    c.Execute("INSERT INTO secret_master_check (id, sealed) VALUES (1, @sealedCheck) ON CONFLICT (id) DO UPDATE SET sealed = excluded.sealed", new { sealedCheck }, t);
                    return rows.Count;
                }, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                File.Delete(staged);
                throw;
            }

            _masterKey.Commit(staged, newKey);
            return count;
        }
        catch (CryptographicException ex)
        {
            throw new SecretVaultException("a stored data key does not open with the current master key; nothing was changed", ex);
        }
        finally
        {
            _rotation.Release();
        }
    }

    private async Task<SecretInfo?> WriteAsync(string name, string value, bool mustExist, CancellationToken cancellationToken)
    {
        ThrowIfUnavailable();
        await _rotation.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
            var plaintext = Encoding.UTF8.GetBytes(value);
            var masterKey = _masterKey.Key;
            return await _store.WriteDurablyAsync((c, t) =>
            {
                var rows = c.Query<(long Version, long CreatedAt)>("SELECT version, created_at FROM secrets WHERE name = @name", new { name }, t).ToList();
                if (rows.Count == 0 && mustExist)
                {
                    return null;
                }

                var version = (int)(rows.Count == 0 ? 0 : rows[0].Version) + 1;
                var dataKey = SecretCipher.NewKey();
                var sealedValue = SecretCipher.Seal(dataKey, plaintext, ValueContext(name, version));
                var wrapped = SecretCipher.Seal(masterKey, dataKey, KeyContext(name));
                CryptographicOperations.ZeroMemory(dataKey);
                var versionId = Guid.NewGuid().ToString();
                var createdAt = rows.Count == 0 ? now : rows[0].CreatedAt;
                c.Execute(
                    """
                    INSERT INTO secrets (name, version, version_id, value, data_key, created_at, updated_at)
                    VALUES (@name, @version, @versionId, @sealedValue, @wrapped, @createdAt, @now)
                    ON CONFLICT (name) DO UPDATE SET version = excluded.version, version_id = excluded.version_id,
                        value = excluded.value, data_key = excluded.data_key, updated_at = excluded.updated_at
                    """,
                    new { name, version, versionId, sealedValue, wrapped, createdAt, now }, t);
                return new SecretInfo(name, version, versionId, DateTimeOffset.FromUnixTimeMilliseconds(createdAt), DateTimeOffset.FromUnixTimeMilliseconds(now));
            }, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _rotation.Release();
        }
    }

    private void ThrowIfUnavailable()
    {
        if (Unavailable is { } reason)
        {
            throw new SecretVaultException(reason);
        }
    }

    private static byte[] KeyContext(string name) => Encoding.UTF8.GetBytes("data-key:" + name);

    private static byte[] ValueContext(string name, long version) => Encoding.UTF8.GetBytes(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"value:{name}:{version}"));

    private sealed class SecretRow
    {
        public string Name { get; init; } = "";
        public long Version { get; init; }
        public string VersionId { get; init; } = "";
        public byte[]? Value { get; init; }
        public byte[]? DataKey { get; init; }
        public long CreatedAt { get; init; }
        public long UpdatedAt { get; init; }

        public SecretInfo ToInfo() => new(Name, (int)Version, VersionId, DateTimeOffset.FromUnixTimeMilliseconds(CreatedAt), DateTimeOffset.FromUnixTimeMilliseconds(UpdatedAt));
    }
}
