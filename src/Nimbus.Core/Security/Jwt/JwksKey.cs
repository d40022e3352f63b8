namespace Nimbus.Core.Security.Jwt;

/// <summary>One RSA public key of a JSON Web Key Set: its id and its modulus and exponent (big-endian bytes).</summary>
public sealed record JwksKey(string? KeyId, byte[] Modulus, byte[] Exponent);
