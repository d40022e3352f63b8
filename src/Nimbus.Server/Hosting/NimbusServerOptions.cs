using Nimbus.Core.Telemetry;

namespace Nimbus.Server.Hosting;

/// <summary>Settings of one <c>nimbus up</c> process.</summary>
public sealed record NimbusServerOptions
{
    public const int DefaultPort = 7700;

    /// <summary>Port of the gateway and management API; 0 picks a free one.</summary>
    public int Port { get; init; } = DefaultPort;

    /// <summary>Address the gateway listens on.</summary>
    public string ListenAddress { get; init; } = "127.0.0.1";

    /// <summary>Where the SQLite database, packages and extracted code live.</summary>
    public string DataDirectory { get; init; } = ".nimbus";

    /// <summary>Worker instances idle longer than this are stopped (scale to zero).</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Platform-wide limit on worker instances; also the size of the runtime API port pool.</summary>
    public int MaxInstances { get; init; } = 64;

    /// <summary>
    /// Most instances initialising at once. A burst that needs more waits for a start slot, and takes an instance that
    /// goes idle meanwhile, so a small machine is not flooded with starting processes that then all miss the init limit.
    /// </summary>
    public int MaxConcurrentColdStarts { get; init; } = Math.Max(2, Environment.ProcessorCount * 2);

    /// <summary>How long shutdown waits for in-flight invocations before stopping workers.</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Largest request or response payload of a synchronous invocation.</summary>
    public int MaxPayloadBytes { get; init; } = 6 * 1024 * 1024;

    /// <summary>Region reported to functions (<c>AWS_REGION</c>) and used in ARNs.</summary>
    public string Region { get; init; } = "us-east-1";

    /// <summary>Check that a connection to an instance's runtime port comes from that instance's process tree (Linux).</summary>
    public bool VerifyWorkerConnections { get; init; } = OperatingSystem.IsLinux();

    /// <summary>Clock for deadlines, idle scale-down and backoff; tests pass a controllable one.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>
    /// Access key id → secret access key accepted as invoker identities (AWS Signature Version 4), in addition to the
    /// keys made with <c>nimbus keys create</c>; kept in memory only, for as long as the process runs.
    /// </summary>
    public IReadOnlyDictionary<string, string> LambdaCredentials { get; init; } = System.Collections.Frozen.FrozenDictionary<string, string>.Empty;

    /// <summary>How long and how much of the function logs the store keeps (default 7 days or 1 GB, whichever first).</summary>
    public RetentionPolicy LogRetention { get; init; } = RetentionPolicy.DefaultLogs;

    /// <summary>How long and how many invocation records the store keeps (default 7 days or 1,000,000 records).</summary>
    public RetentionPolicy InvocationRetention { get; init; } = RetentionPolicy.DefaultInvocations;
    /// <summary>
    /// OTLP/HTTP collector (e.g. <c>http://127.0.0.1:4318</c>) that receives the <c>Nimbus.Invocations</c> metrics
    /// every <see cref="OtlpExportInterval"/>; null (the default) exports nothing.
    /// </summary>
    public Uri? OtlpEndpoint { get; init; }

    public TimeSpan OtlpExportInterval { get; init; } = TimeSpan.FromSeconds(10);
    /// <summary>Async event queue settings (payload limit, attempts at once, lease margin).</summary>
    public Events.AsyncEventOptions Async { get; init; } = new();

    /// <summary>Where the node and python runtime clients are; defaults to <c>runtimes/</c> beside the binary.</summary>
    public string? RuntimesDirectory { get; init; }

    /// <summary>
    /// Run workers without the sandbox, as the platform's own user (<c>nimbus up --unsandboxed</c>). Off by default: a
    /// host that cannot sandbox refuses to start until this is set.
    /// </summary>
    public bool Unsandboxed { get; init; }

    /// <summary>
    /// Host directories every sandbox sees read-write at the same path (<c>NIMBUS_SANDBOX_SHARED_DIRS</c>, colon-separated):
    /// scratch space an operator or a test harness chooses to share with functions. None by default.
    /// </summary>
    public IReadOnlyList<string> SandboxSharedDirectories { get; init; } = [];

    /// <summary>The secrets master key, base64 of 32 bytes; null reads <c>NIMBUS_MASTER_KEY</c>, then the key file.</summary>
    public string? MasterKey { get; init; }

    /// <summary>The master key file; null is <c>&lt;datadir&gt;/master.key</c> (created 0600 on first start).</summary>
    public string? MasterKeyFile { get; init; }

    /// <summary>
    /// False: no log records, invocation records, metrics or error groups are recorded (the platform's own cost can be
    /// measured without its operations layer, see bench/README.md). Function output still feeds the log tail.
    /// </summary>
    public bool RecordTelemetry { get; init; } = true;

    /// <summary>How failed authentications are limited per source address.</summary>
    public Security.AuthenticationOptions Authentication { get; init; } = new();

    /// <summary>PEM certificate (chain) for HTTPS on the gateway and API; with <see cref="TlsKeyPath"/>. Null serves HTTP.</summary>
    public string? TlsCertificatePath { get; init; }

    /// <summary>PEM private key of <see cref="TlsCertificatePath"/>.</summary>
    public string? TlsKeyPath { get; init; }
}
