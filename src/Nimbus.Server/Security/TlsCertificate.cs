using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Nimbus.Server.Hosting;

namespace Nimbus.Server.Security;

/// <summary>Loads the PEM certificate and key given with <c>--tls-cert</c> and <c>--tls-key</c>.</summary>
public static class TlsCertificate
{
    /// <returns>The certificate with its private key, or null when no TLS was asked for.</returns>
    public static X509Certificate2? Load(NimbusServerOptions options)
    {
        if (options.TlsCertificatePath is null && options.TlsKeyPath is null)
        {
            return null;
        }

        if (options.TlsCertificatePath is null || options.TlsKeyPath is null)
        {
            throw new NimbusStartupException("give both --tls-cert and --tls-key (PEM files), or neither to serve plain HTTP");
        }

        try
        {
            using var pem = X509Certificate2.CreateFromPemFile(options.TlsCertificatePath, options.TlsKeyPath);
            // Re-imported so the key is not ephemeral: TLS stacks need a persisted key handle on some platforms.
            return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        }
        catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new NimbusStartupException(
                $"cannot load the TLS certificate '{options.TlsCertificatePath}' with key '{options.TlsKeyPath}': {ex.Message}", ex);
        }
    }
}
