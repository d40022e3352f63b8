namespace Nimbus.Core.Instances;

/// <summary>Lifecycle of a worker process: Starting → Idle ⇄ Busy → Draining → Dead (see <see cref="InstanceTransitions"/>).</summary>
public enum InstanceState
{
    Starting,
    Idle,
    Busy,
    Draining,
    Dead,
}
