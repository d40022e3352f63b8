namespace Nimbus.Core.Api;

/// <summary>Answer of <c>POST /api/v1/secrets/rotate-master-key</c>: how many data keys were re-wrapped.</summary>
public sealed record MasterKeyRotationResult(int Rewrapped);
