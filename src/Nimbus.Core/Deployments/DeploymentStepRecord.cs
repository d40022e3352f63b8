namespace Nimbus.Core.Deployments;

/// <summary>
/// One recorded transition of a deployment (a step, a hook phase, a promotion, the end), written in the same transaction
/// as the decision it records, so the timeline shows every step the alias took. <see cref="Command"/> is the user's
/// command the step consumed (<see cref="DeploymentCommand.None"/> when the schedule, a hook or a gate moved it).
/// </summary>
public sealed record DeploymentStepRecord(
    string DeploymentId,
    string FunctionName,
    string Alias,
    DateTimeOffset At,
    DeploymentState State,
    int StepIndex,
    string? Reason,
    DeploymentCommand Command);
