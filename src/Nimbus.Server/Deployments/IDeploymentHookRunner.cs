using Nimbus.Core.Deployments;

namespace Nimbus.Server.Deployments;

/// <summary>Starts a lifecycle hook; its report arrives later through the store (the API or the hook's own answer).</summary>
public interface IDeploymentHookRunner
{
    void Start(Deployment deployment, HookInvocation hook);
}
