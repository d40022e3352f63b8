namespace Nimbus.Core.Security.SigV4;

/// <summary>The outcome of checking one request's signature; <see cref="Message"/> says why it was refused.</summary>
public readonly record struct SigV4Verdict(SigV4Status Status, string Message, string? AccessKeyId = null)
{
    public bool IsValid => Status == SigV4Status.Valid;
}
