using Nimbus.Cli.Api;
using Nimbus.Cli.Arguments;
using Nimbus.Cli.Commands;
using Nimbus.Cli.Output;
using Nimbus.Core.Deployments;

namespace Nimbus.Cli.Deploy;

/// <summary>
/// Follows a deployment until it ends: polls it every <see cref="Interval"/> and writes a line each time its state,
/// step, share or reason changes (with <c>--output json</c>, the deployment as one compact JSON object per line).
/// </summary>
internal static class DeploymentWatcher
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    /// <returns>The deployment as it ended.</returns>
    public static async Task<DeploymentInfo> WatchAsync(
        ApiClient api, DeploymentInfo started, OutputFormat output, TextWriter writer, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(started);
        var current = started;
        Write(writer, output, current);
        while (current.Status == DeploymentStatus.InProgress)
        {
            await Task.Delay(Interval, time, cancellationToken);
            var next = await api.GetDeploymentAsync(current.Id, cancellationToken);
            if (Progress(next) != Progress(current))
            {
                Write(writer, output, next);
            }

            current = next;
        }

        return current;
    }

    /// <summary>The exit code for a deployment's end: 0 only when it succeeded; a rollback has its own code.</summary>
    public static int ExitCode(DeploymentInfo deployment) => deployment.Status switch
    {
        DeploymentStatus.Succeeded => ExitCodes.Success,
        DeploymentStatus.RolledBack => ExitCodes.RolledBack,
        _ => ExitCodes.Failed,
    };

    /// <summary>
    /// One progress line: <c>12:00:05 dep-1 orders:live InProgress (Shifting) step 1/2  live: v1 90% / v2 10%  alarms:
    /// orders-error-rate OK, orders-throttles OK; started: 10% on version 2</c> (no alarms part before any is watched).
    /// </summary>
    public static string Line(DeploymentInfo d) =>
        $"{Formats.ShortTime(d.UpdatedAt)} {d.Id} {d.FunctionName}:{d.Alias} {DeploymentsListCommand.Status(d)} step {d.Step}/{d.Steps}"
        + $"  {Weights(d)}{(d.Alarms.Count > 0 ? "  alarms: " + Alarms(d) : "")}{(d.Reason is { } reason ? "; " + reason : "")}";

    /// <summary>Where the alias sends calls: <c>live: v1 90% / v2 10%</c>, or one version at 100%.</summary>
    public static string Weights(DeploymentInfo d)
    {
        ArgumentNullException.ThrowIfNull(d);
        var share = d.NewVersionPercent;
        return share <= 0 ? $"{d.Alias}: v{d.FromVersion} 100%"
            : share >= 100 ? $"{d.Alias}: v{d.ToVersion} 100%"
            : $"{d.Alias}: v{d.FromVersion} {Formats.Number(100 - share)}% / v{d.ToVersion} {Formats.Number(share)}%";
    }

    /// <summary>The watched alarms' states: <c>orders-error-rate OK, orders-throttles ALARM</c>.</summary>
    public static string Alarms(DeploymentInfo d)
    {
        ArgumentNullException.ThrowIfNull(d);
        return string.Join(", ", d.Alarms.Select(a => $"{a.Name} {a.State}"));
    }

    private static (DeploymentState, int, double, string?, string) Progress(DeploymentInfo d) => (d.State, d.Step, d.NewVersionPercent, d.Reason, Alarms(d));

    private static void Write(TextWriter writer, OutputFormat output, DeploymentInfo deployment)
    {
        if (output == OutputFormat.Json)
        {
            JsonOutput.WriteLine(writer, deployment);
        }
        else
        {
            writer.WriteLine(Line(deployment));
        }

        writer.Flush();
    }
}
