namespace Nimbus.Cli;

/// <summary>The process exit codes scripts can rely on.</summary>
internal static class ExitCodes
{
    public const int Success = 0;

    /// <summary>The function failed, or an operation the server was asked for did not succeed.</summary>
    public const int Failed = 1;

    /// <summary>Unknown verb or option, missing or malformed argument, invalid manifest or rejected input.</summary>
    public const int Usage = 2;

    public const int Unreachable = 3;
    public const int NotFound = 4;

    /// <summary><c>deploy --wait</c>, <c>deployments watch</c>: the deployment ended RolledBack (an alarm, a hook, the
    /// comparison or a rollback put the alias back on the old version).</summary>
    public const int RolledBack = 5;

    /// <summary>Interrupted by Ctrl+C before the verb finished (128 + SIGINT, as shells report it).</summary>
    public const int Interrupted = 130;
}
