namespace Nimbus.Server.Api;

/// <summary>What a control-plane operation produced: the value, or the error that refused it.</summary>
public readonly record struct ControlResult<T>(T? Value, ControlError? Error)
    where T : class
{
    public static implicit operator ControlResult<T>(T value) => new(value, null);

    public static implicit operator ControlResult<T>(ControlError error) => new(null, error);
}
