using Nimbus.Core.Security.Policy;
using Nimbus.Core.Security.Secrets;
using Nimbus.Server.Runtime;

namespace Nimbus.Server.Security.Secrets;

/// <summary>
/// Resolves a function's <c>secret:NAME</c> environment values when an instance starts. A reference the policy does
/// not allow, or to a secret that does not exist, fails the instance's start with a message naming what is missing.
/// </summary>
public sealed class SecretEnvironment
{
    private readonly SecretVault _vault;
    private readonly IAccessGate _gate;

    public SecretEnvironment(SecretVault vault, IAccessGate gate)
    {
        _vault = vault;
        _gate = gate;
    }

    /// <summary>The environment with references replaced by values (the configured one when it has none).</summary>
    /// <exception cref="WorkerLaunchException">A reference is denied, missing, or cannot be decrypted.</exception>
    public async Task<IReadOnlyDictionary<string, string>> ResolveAsync(Instance instance, CancellationToken cancellationToken)
    {
        var target = instance.Target;
        var environment = target.Config.Environment;
        var references = SecretReference.In(environment);
        if (references.Count == 0)
        {
            return environment;
        }

        var resolved = new Dictionary<string, string>(environment, StringComparer.Ordinal);
        foreach (var (variable, secret) in references)
        {
            var decision = await _gate.CheckAsync(target.FunctionName, target.Version, target.Config.Policy, PolicyActions.SecretRead, secret, cancellationToken).ConfigureAwait(false);
            if (!decision.Allowed)
            {
                throw new WorkerLaunchException(
                    $"environment variable {variable} refers to secret '{secret}': AccessDeniedException: {decision.DeniedMessage(target.FunctionName)}; add {{allow: {PolicyActions.SecretRead}, resource: {secret}}} to the function's policy");
            }

            SecretValue? value;
            try
            {
                value = await _vault.ReadAsync(secret, cancellationToken).ConfigureAwait(false);
            }
            catch (SecretVaultException ex)
            {
                throw new WorkerLaunchException($"environment variable {variable} refers to secret '{secret}', which cannot be read: {ex.Message}", ex);
            }

            if (value is null)
            {
                throw new WorkerLaunchException(
                    $"environment variable {variable} refers to secret '{secret}', which does not exist; create it with `nimbus secrets set {secret}`");
            }

            resolved[variable] = value.Value;
            instance.AddSecretValue(value.Value);
        }

        return resolved;
    }
}
