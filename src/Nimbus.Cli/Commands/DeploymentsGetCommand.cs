using Nimbus.Cli.Arguments;
using Nimbus.Cli.Deploy;
using Nimbus.Cli.Output;
using Nimbus.Core.Deployments;
using Nimbus.Core.Deployments.Shadow;

namespace Nimbus.Cli.Commands;

internal static class DeploymentsGetCommand
{
    public static readonly CommandSpec Spec = DeploymentCommandSpec.Create(
        "deployments get",
        "Show a deployment: its step, weights, status and reason",
        (api, id, cancellationToken) => api.GetDeploymentAsync(id, cancellationToken));

    internal static void Write(CliContext context, OutputFormat output, DeploymentInfo d)
    {
        if (output == OutputFormat.Json)
        {
            JsonOutput.Write(context.Out, d);
            return;
        }

        var table = new Table("FIELD", "VALUE") { ShowHeaders = false }
            .AddRow("id", d.Id)
            .AddRow("function", $"{d.FunctionName}:{d.Alias}")
            .AddRow("versions", $"{d.FromVersion} -> {d.ToVersion}")
            .AddRow("strategy", d.Strategy)
            .AddRow("status", DeploymentsListCommand.Status(d))
            .AddRow("step", $"{d.Step}/{d.Steps}")
            .AddRow("new version", Formats.Number(d.NewVersionPercent) + "%")
            .AddRow("weights", DeploymentWatcher.Weights(d))
            .AddRow("alarms", d.Alarms.Count > 0 ? DeploymentWatcher.Alarms(d) : "-")
            .AddRow("reason", d.Reason ?? "-")
            .AddRow("forced", d.Forced ? "yes" : "no")
            .AddRow("created", Formats.ShortTime(d.CreatedAt))
            .AddRow("updated", Formats.ShortTime(d.UpdatedAt));
        if (d.Shadow is { } shadow)
        {
            AddShadow(table, shadow);
        }

        table.WriteTo(context.Out);
    }

    /// <summary>A shadow deployment's report: the counts, the latencies, and the kept examples of differences.</summary>
    private static void AddShadow(Table table, ShadowReport r)
    {
        table.AddRow("shadow", $"mirrored {r.Mirrored}, compared {r.Compared}: same {r.Same}, outcome differs {r.OutcomeDiffers}, " +
                $"error type differs {r.ErrorTypeDiffers}, body differs {r.BodyDiffers}; dropped {r.Dropped}; suppressed calls {r.SuppressedCalls}")
            .AddRow("shadow latency", $"p50 live {Ms(r.LiveP50Ms)} / shadow {Ms(r.ShadowP50Ms)}; p99 live {Ms(r.LiveP99Ms)} / shadow {Ms(r.ShadowP99Ms)}");
        foreach (var example in r.Examples)
        {
            table.AddRow("shadow example", $"{example.RequestId} {example.Difference}: live {example.Live} | shadow {example.Shadow}");
        }
    }

    private static string Ms(double? value) => value is { } ms ? Formats.Number(ms) + " ms" : "-";
}
