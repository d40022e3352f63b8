using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Nimbus.Server.Hosting;
using Nimbus.Server.Security.Secrets;
using Nimbus.Server.Storage;

namespace Nimbus.Server.Security;

/// <summary>Registers secrets (vault, environment resolution, the extension's endpoint) and the access gate of function policies.</summary>
public static class SecurityServices
{
    /// <exception cref="NimbusStartupException">The master key is malformed or its file cannot be made.</exception>
    public static IServiceCollection AddSecretsAndPolicy(this IServiceCollection services, SqliteStore store, NimbusServerOptions options)
    {
        var keyFile = options.MasterKeyFile ?? Path.Combine(options.DataDirectory, MasterKey.DefaultFileName);
        var masterKey = MasterKey.Load(options.MasterKey ?? Environment.GetEnvironmentVariable(MasterKey.EnvironmentVariable), keyFile);
        services.AddSingleton(new SecretVault(store, masterKey, options.TimeProvider));
        // A factory, so that the container disposes (flushes) it at shutdown.
        services.AddSingleton(provider => new ObservedAccessStore(store, options.TimeProvider, provider.GetService<ILogger<ObservedAccessStore>>()));
        services.AddSingleton<IAccessGate, AccessGate>();
        services.AddSingleton<SecretEnvironment>();
        services.AddSingleton<SecretsExtensionHandler>();
        return services;
    }
}
