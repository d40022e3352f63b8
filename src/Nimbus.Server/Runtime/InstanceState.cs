namespace Nimbus.Server.Runtime;

/// <summary>Lifecycle of a worker process: Starting → Idle ⇄ Busy → Draining → Dead.</summary>
public enum InstanceState
{
    Starting,
    Idle,
    Busy,
    Draining,
    Dead,
}
