namespace Nimbus.Core.Deployments;

/// <summary>
/// Which deployment state changes are legal. The controller only ever makes a change this table allows; a terminal
/// state (Succeeded, RolledBack, Stopped, Failed) is never left.
/// </summary>
public static class DeploymentTransitions
{
    private const int StateCount = (int)DeploymentState.Failed + 1;

    // [from, to]
    private static readonly bool[,] s_allowed = Build();

    public static bool IsAllowed(DeploymentState from, DeploymentState to) =>
        (uint)from < StateCount && (uint)to < StateCount && s_allowed[(int)from, (int)to];

    public static bool IsTerminal(DeploymentState state) =>
        state is DeploymentState.Succeeded or DeploymentState.RolledBack or DeploymentState.Stopped or DeploymentState.Failed;

    /// <summary>The status users see for a state.</summary>
    public static DeploymentStatus ToStatus(DeploymentState state) => state switch
    {
        DeploymentState.Succeeded => DeploymentStatus.Succeeded,
        DeploymentState.RolledBack => DeploymentStatus.RolledBack,
        DeploymentState.Stopped => DeploymentStatus.Stopped,
        DeploymentState.Failed => DeploymentStatus.Failed,
        _ => DeploymentStatus.InProgress,
    };

    private static bool[,] Build()
    {
        var allowed = new bool[StateCount, StateCount];
        void Allow(DeploymentState from, params DeploymentState[] to)
        {
            foreach (var target in to)
            {
                allowed[(int)from, (int)target] = true;
            }
        }

        // Start: the preTraffic hook runs first when there is one; otherwise the first step (or 100% and the bake). A promote before the
        // start goes straight to 100% (then postTraffic, or done).
        Allow(DeploymentState.Pending, DeploymentState.PreTraffic, DeploymentState.Shifting, DeploymentState.Baking,
            DeploymentState.PostTraffic, DeploymentState.Succeeded,
            DeploymentState.Stopped, DeploymentState.RolledBack, DeploymentState.Failed);
        // The hook reports Succeeded (shift) or Failed / never reports (roll back). No traffic has moved yet.
        // AllAtOnce and BlueGreen go from the hook straight to 100% (then bake).
        Allow(DeploymentState.PreTraffic, DeploymentState.Shifting, DeploymentState.Baking, DeploymentState.PostTraffic, DeploymentState.Succeeded,
            DeploymentState.RolledBack, DeploymentState.Stopped, DeploymentState.Failed);
        // Shifting → Shifting is the next step. After the last step: bake, postTraffic hook, or done.
        Allow(DeploymentState.Shifting, DeploymentState.Shifting, DeploymentState.Baking, DeploymentState.PostTraffic,
            DeploymentState.Succeeded, DeploymentState.RolledBack, DeploymentState.Stopped, DeploymentState.Failed);
        Allow(DeploymentState.Baking, DeploymentState.PostTraffic, DeploymentState.Succeeded,
            DeploymentState.RolledBack, DeploymentState.Stopped, DeploymentState.Failed);
        Allow(DeploymentState.PostTraffic, DeploymentState.Succeeded,
            DeploymentState.RolledBack, DeploymentState.Stopped, DeploymentState.Failed);
        return allowed;
    }
}
