namespace Nimbus.Server.Runtime;

/// <summary>
/// Starts and kills the worker behind an instance. The real one spawns an OS process (<see cref="InstanceLauncher"/>);
/// the dispatcher's in-process tests drive a fake worker through the same seam.
/// </summary>
public interface IInstanceLauncher
{
    /// <summary>
    /// Starts the worker. Returns once it runs; the worker then talks to the instance (ready, answers, init error) and
    /// <paramref name="onExited"/> is called, once, with the exit status when it has gone.
    /// </summary>
    /// <exception cref="WorkerLaunchException">The worker could not be started; <paramref name="onExited"/> is not called.</exception>
    Task StartAsync(Instance instance, Action<Instance, int> onExited, CancellationToken cancellationToken);

    /// <summary>Kills the worker and everything it started; its exit is reported through <c>onExited</c>.</summary>
    void Kill(Instance instance);

    /// <summary>
    /// The worker finished its init and asked for work: its processes are all running now. The real launcher gives a
    /// worker with several slots the CPU weight of as many one-slot workers (<see cref="Instance.SchedulingNice"/>).
    /// </summary>
    void Initialized(Instance instance)
    {
    }
}
