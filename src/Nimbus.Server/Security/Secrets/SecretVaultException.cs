namespace Nimbus.Server.Security.Secrets;

/// <summary>The vault cannot decrypt: the master key is not the one the secrets were sealed with.</summary>
public sealed class SecretVaultException : Exception
{
    public SecretVaultException(string message, Exception? inner = null) : base(message, inner)
    {
    }
}
