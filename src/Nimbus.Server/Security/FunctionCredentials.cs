using System.Collections.Concurrent;
using Nimbus.Core.Security;

namespace Nimbus.Server.Security;

/// <summary>
/// Issues each instance its own credentials at launch and forgets them when it exits. They are valid for
/// <see cref="Lifetime"/>; an idle instance is recycled once it is <see cref="RecycleAfter"/> old (see
/// <c>InstanceMonitor</c>), so a replacement with fresh credentials takes over long before they expire. Kept in
/// memory only: an instance never outlives the process that issued them.
/// </summary>
public sealed class FunctionCredentials(TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(12);

    /// <summary>Leaves an hour for an instance busy at that moment to finish (an invocation lasts at most 15 minutes).</summary>
    public static readonly TimeSpan RecycleAfter = TimeSpan.FromHours(11);

    private readonly ConcurrentDictionary<string, FunctionCredential> _byKey = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _keyByInstance = new(StringComparer.Ordinal);

    public FunctionCredential Issue(string functionName, string instanceId)
    {
        var credential = new FunctionCredential(
            Credentials.NewAccessKeyId(Credentials.SessionKeyPrefix), Credentials.NewSecretAccessKey(), Credentials.NewSessionToken(),
            functionName, instanceId, time.GetUtcNow() + Lifetime);
        _byKey[credential.AccessKeyId] = credential;
        if (_keyByInstance.TryGetValue(instanceId, out var previous))
        {
            _byKey.TryRemove(previous, out _);
        }

        _keyByInstance[instanceId] = credential.AccessKeyId;
        return credential;
    }

    public void Revoke(string instanceId)
    {
        if (_keyByInstance.TryRemove(instanceId, out var key))
        {
            _byKey.TryRemove(key, out _);
        }
    }

    /// <returns>The live, unexpired credential with this access key id, or null.</returns>
    public FunctionCredential? Find(string accessKeyId) =>
        _byKey.TryGetValue(accessKeyId, out var credential) && credential.ExpiresAt > time.GetUtcNow() ? credential : null;
}
