using System.Collections.Frozen;
using Nimbus.Core.Api;
using Nimbus.Core.Security;
using Nimbus.Server.Storage;

namespace Nimbus.Server.Security;

/// <summary>
/// The identities that may authenticate, held in memory (an immutable snapshot swapped on every change) so that a
/// request is checked without a database read; changes go to the store first.
/// </summary>
public sealed class IdentityRegistry
{
    private readonly SqliteIdentityStore _store;
    private readonly SecretKeyProtector _protector;
    private readonly FunctionCredentials _functions;
    private readonly TimeProvider _time;
    private readonly FrozenDictionary<string, KeyLookup> _configuredKeys;
    private readonly SemaphoreSlim _changes = new(1, 1);
    private Snapshot _snapshot = Snapshot.Empty;

    public IdentityRegistry(SqliteIdentityStore store, SecretKeyProtector protector, FunctionCredentials functions, TimeProvider time,
        IReadOnlyDictionary<string, string> configuredKeys)
    {
        _store = store;
        _protector = protector;
        _functions = functions;
        _time = time;
        // Keys given on the command line (--lambda-access-key) authenticate as invokers for as long as the process runs.
        _configuredKeys = configuredKeys.ToFrozenDictionary(
            pair => pair.Key, pair => new KeyLookup(pair.Value, new Principal(PrincipalKind.User, pair.Key, Roles.Invoker)), StringComparer.Ordinal);
    }

    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        var all = await _store.ListAsync(cancellationToken).ConfigureAwait(false);
        var tokens = new Dictionary<string, StoredIdentity>(StringComparer.Ordinal);
        var keys = new Dictionary<string, KeyLookup>(StringComparer.Ordinal);
        foreach (var identity in all.Where(i => i.Info.RevokedAt is null))
        {
            if (identity.Info.Kind == IdentityKinds.Token && identity.TokenSha256 is not null)
            {
                tokens[identity.Info.Id] = identity;
            }
            else if (identity.Info.Kind == IdentityKinds.Key && identity.SecretEncrypted is { } blob && _protector.Unprotect(identity.Info.Id, blob) is { } secret)
            {
                keys[identity.Info.Id] = new KeyLookup(secret, PrincipalOf(identity.Info));
            }
        }

        Volatile.Write(ref _snapshot, new Snapshot(tokens.ToFrozenDictionary(StringComparer.Ordinal), keys.ToFrozenDictionary(StringComparer.Ordinal)));
    }

    /// <summary>The principal a bearer token authenticates, or null for an unknown, wrong or revoked token.</summary>
    public Principal? FindToken(string token)
    {
        if (Credentials.TokenIdOf(token) is not { } id || !Volatile.Read(ref _snapshot).Tokens.TryGetValue(id, out var identity))
        {
            return null;
        }

        return Credentials.HashMatches(token, identity.TokenSha256!) ? PrincipalOf(identity.Info) : null;
    }

    /// <summary>An access key: a stored one, one given at start, or an instance's session key.</summary>
    public KeyLookup? FindKey(string accessKeyId)
    {
        if (Volatile.Read(ref _snapshot).Keys.TryGetValue(accessKeyId, out var stored))
        {
            return stored;
        }

        if (_configuredKeys.TryGetValue(accessKeyId, out var configured))
        {
            return configured;
        }

        return _functions.Find(accessKeyId) is { } function
            ? new KeyLookup(function.SecretAccessKey,
                new Principal(PrincipalKind.Function, function.AccessKeyId, Roles.Function, FunctionName: function.FunctionName),
                function.SessionToken)
            : null;
    }

    public bool HasActiveAdminToken() =>
        Volatile.Read(ref _snapshot).Tokens.Values.Any(t => t.Info.Role == Roles.Admin);

    public Task<IReadOnlyList<StoredIdentity>> ListAsync(CancellationToken cancellationToken) => _store.ListAsync(cancellationToken);

    public async Task<CreatedIdentity> CreateTokenAsync(string role, string? functions, string? description, string createdBy, CancellationToken cancellationToken)
    {
        var id = Credentials.NewTokenId();
        var token = Credentials.NewToken(id);
        var info = new IdentityInfo(id, IdentityKinds.Token, role, functions, description, _time.GetUtcNow(), createdBy, null);
        await ChangeAsync(() => _store.InsertAsync(new StoredIdentity(info, Credentials.Hash(token), null), cancellationToken), cancellationToken).ConfigureAwait(false);
        return new CreatedIdentity(info, Token: token);
    }

    public async Task<CreatedIdentity> CreateKeyAsync(string role, string? functions, string? description, string createdBy, CancellationToken cancellationToken)
    {
        var id = Credentials.NewAccessKeyId(Credentials.AccessKeyPrefix);
        var secret = Credentials.NewSecretAccessKey();
        var info = new IdentityInfo(id, IdentityKinds.Key, role, functions, description, _time.GetUtcNow(), createdBy, null);
        await ChangeAsync(() => _store.InsertAsync(new StoredIdentity(info, null, _protector.Protect(id, secret)), cancellationToken), cancellationToken).ConfigureAwait(false);
        return new CreatedIdentity(info, SecretAccessKey: secret);
    }

    /// <returns>False when no active identity of that kind has the id.</returns>
    public async Task<bool> RevokeAsync(string id, string kind, CancellationToken cancellationToken)
    {
        var revoked = false;
        await ChangeAsync(async () => revoked = await _store.RevokeAsync(id, kind, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false),
            cancellationToken).ConfigureAwait(false);
        return revoked;
    }

    private static Principal PrincipalOf(IdentityInfo info) => new(PrincipalKind.User, info.Id, info.Role, info.Functions);

    private async Task ChangeAsync(Func<Task> change, CancellationToken cancellationToken)
    {
        await _changes.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await change().ConfigureAwait(false);
            await LoadAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _changes.Release();
        }
    }

    private sealed record Snapshot(FrozenDictionary<string, StoredIdentity> Tokens, FrozenDictionary<string, KeyLookup> Keys)
    {
        public static readonly Snapshot Empty = new(FrozenDictionary<string, StoredIdentity>.Empty, FrozenDictionary<string, KeyLookup>.Empty);
    }
}
