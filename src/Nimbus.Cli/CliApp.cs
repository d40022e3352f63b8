using System.Reflection;
using Nimbus.Cli.Arguments;
using Nimbus.Cli.Commands;

namespace Nimbus.Cli;

/// <summary>Parses the command line, runs the verb, and turns every failure into one stderr line and an exit code.</summary>
internal static class CliApp
{
    public static readonly CommandCatalog Catalog = new(
    [
        UpCommand.Spec,
        PlanCommand.Spec,
        DeployCommand.Spec,
        InvokeCommand.Spec,
        LogsCommand.Spec,
        FunctionsListCommand.Spec,
        FunctionsGetCommand.Spec,
        FunctionsDeleteCommand.Spec,
        VersionsListCommand.Spec,
        VersionsPublishCommand.Spec,
        AliasListCommand.Spec,
        AliasSetCommand.Spec,
        ProvisionedSetCommand.Spec,
        InstancesListCommand.Spec,
        MetricsCommand.Spec,
        ErrorsListCommand.Spec,
        ErrorsShowCommand.Spec,
        DlqListCommand.Spec,
        DlqShowCommand.Spec,
        DlqRedriveCommand.Spec,
        DlqPurgeCommand.Spec,
        RollbackCommand.Spec,
        DeploymentsListCommand.Spec,
        DeploymentsGetCommand.Spec,
        DeploymentsStopCommand.Spec,
        DeploymentsPromoteCommand.Spec,
        DeploymentsWatchCommand.Spec,
        FreezeCommands.Add,
        FreezeCommands.List,
        FreezeCommands.Remove,
        AlarmsListCommand.Spec,
        AlarmsGetCommand.Spec,
        AlarmsHistoryCommand.Spec,
        AlarmsMuteCommand.Spec,
        AlarmsUnmuteCommand.Spec,
        AlarmsTestCommand.Spec,
        AlarmsNotificationsCommand.Spec,
        RunbookCommand.Spec,
        SloStatusCommand.Spec,
        TimelineCommand.Spec,
        SchedulesListCommand.Spec,
        TracesListCommand.Spec,
        TracesGetCommand.Spec,
        StatusCommand.Spec,
        SecretsSetCommand.Spec,
        SecretsListCommand.Spec,
        SecretsRotateCommand.Spec,
        SecretsDeleteCommand.Spec,
        SecretsRotateMasterKeyCommand.Spec,
        PolicySuggestCommand.Spec,
        LoginCommand.Spec,
        IdentityCommands.TokensCreate,
        IdentityCommands.TokensList,
        IdentityCommands.TokensRevoke,
        IdentityCommands.KeysCreate,
        IdentityCommands.KeysList,
        IdentityCommands.KeysRevoke,
        AuditCommand.Spec,
        SchedulesPauseCommands.Pause,
        SchedulesPauseCommands.Resume,
        QueuesListCommand.Spec,
        QueuesGetCommand.Spec,
        QueuesSendCommand.Spec,
        SourcesListCommand.Spec,
        SourcesPauseCommands.Pause,
        SourcesPauseCommands.Resume,
    ]);

    public static async Task<int> RunAsync(IReadOnlyList<string> args, CliContext context, CancellationToken cancellationToken)
    {
        try
        {
            var result = new ArgumentParser(Catalog).Parse(args);
            if (result.VersionRequested)
            {
                var version = typeof(CliApp).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
                context.Out.WriteLine($"nimbus {version ?? "unknown"}");
                return ExitCodes.Success;
            }

            if (result.Command is not { } command)
            {
                HelpWriter.Write(context.Out, Catalog, result.HelpTopic);
                return ExitCodes.Success;
            }

            var exitCode = await command.Command.Handler(command, context, cancellationToken);

            // Output still buffered must reach its destination before success is claimed (a full disk fails here).
            context.Out.Flush();
            context.OutStream.Flush();
            return exitCode;
        }
        catch (CliException e)
        {
            context.Error.WriteLine($"nimbus: {e.Message}");
            return PlanCommand.ErrorExitCode(args, e.ExitCode);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            context.Error.WriteLine("nimbus: interrupted");
            return ExitCodes.Interrupted;
        }
    }
}
