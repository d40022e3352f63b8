using System.Globalization;

namespace Nimbus.Bench;

/// <summary>Command-line settings of a benchmark run. Every figure's sample size is an option, so a run is reproducible.</summary>
public sealed record BenchOptions
{
    public bool Quick { get; init; }
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(20);
    public TimeSpan WarmUp { get; init; } = TimeSpan.FromSeconds(5);
    /// <summary>Stop the 1-connection latency run after this many requests (0: run for the duration).</summary>
    public long Requests { get; init; }
    public int[] Concurrency { get; init; } = [32, 64];
    public int ColdSamples { get; init; } = 20;
    public int MemoryInstances { get; init; } = 8;
    public string ColdMethod { get; init; } = "fresh-function";
    public bool Pin { get; init; } = true;
    public bool Build { get; init; } = true;
    public string? RepoRoot { get; init; }
    public string? NimbusDll { get; init; }

    /// <summary>Another build's nimbus.dll for a third wrk row (e.g. an older release), started the same way.</summary>
    public string? WrkPeerDll { get; init; }
    public string WrkPeerLabel { get; init; } = "nimbus peer build";
    public Uri? NimbusUrl { get; init; }
    public int? NimbusPid { get; init; }
    public string? DotnetFixture { get; init; }
    public string ProvidedBootstrap { get; init; } = "auto";
    public HashSet<string> Runtimes { get; init; } = ["provided", "dotnet"];
    public HashSet<string> Sections { get; init; } = ["baseline", "warm", "cold", "memory", "async"];

    /// <summary>Events the accept-to-ack figure sends (then waits until every one has run).</summary>
    public int AsyncEvents { get; init; } = 10_000;
    public string? ResultsDirectory { get; init; }
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(60);

    public const string Usage = """
        Nimbus invoke-path benchmark.

        usage: dotnet run -c Release --project bench/Nimbus.Bench -- [verb] [options]

        verbs:
          run (default)          everything below, prints a table, writes bench/results/<timestamp>.json and latest.json
          selfcheck              checks the percentile maths and the load generator against the baseline; exits 1 on failure
          baseline-server --port N   the raw Kestrel echo server (the harness starts it itself)

        options:
          --quick                short run: 3 s per point, 1 s warm-up, 5 cold samples, 4 memory instances
          --duration S           seconds per measured point (default 20)
          --warmup S             seconds of warm-up before each point (default 5)
          --requests N           stop the 1-connection latency run after N requests (default: run for --duration)
          --concurrency 32,64    connection counts of the throughput runs
          --cold-samples N       cold starts per runtime (default 20, plus one discarded)
          --cold-method M        fresh-function (default: a new function per sample) or config-change
                                 (update one function's environment between samples)
          --memory-instances N   idle instances for the memory figure (default 8)
          --runtimes provided,dotnet   which echo workers to measure
          --sections baseline,warm,cold,memory,async   which figures to measure (also: wrk, the warm path driven by wrk;
                                                        cpi, C# at concurrencyPerInstance 1 and 16 against the C worker)
          --async-events N       events of the accept-to-ack figure (default 10000; 1000 with --quick)
          --nimbus-dll PATH      nimbus.dll to start (default: build src/Nimbus.Cli in Release and use its output)
          --wrk-peer-dll PATH    also measure this nimbus.dll in the wrk section (a third row, operations as that
                                 build has them), e.g. an older release built with dotnet build -c Release
          --wrk-peer-label TEXT  the name of that row (default "nimbus peer build")
          --nimbus-url URL       use an already running Nimbus instead of starting one (it is not pinned by the
                                 harness; memory figures need --nimbus-pid too, else they are skipped)
          --nimbus-pid PID       the process id of the Nimbus given with --nimbus-url, for the memory figures
          --dotnet-fixture DIR   the C# echo function project (default tests/fixtures/behaviours-dotnet)
          --bootstrap c|python|auto   the provided echo worker (auto: C when gcc exists, else python3)
          --no-build             do not build; use existing outputs
          --no-pin               do not pin processes to cores
          --repo DIR             repository root (default: found by walking up to Nimbus.slnx)
          --results DIR          where JSON results go (default bench/results)
          --start-timeout S      how long to wait for Nimbus to answer /api/v1/health (default 60)
        """;

    public static BenchOptions Parse(IReadOnlyList<string> args)
    {
        var o = new BenchOptions();
        var quick = args.Contains("--quick");
        if (quick)
        {
            o = o with
            {
                Quick = true,
                Duration = TimeSpan.FromSeconds(3),
                WarmUp = TimeSpan.FromSeconds(1),
                ColdSamples = 5,
                MemoryInstances = 4,
                AsyncEvents = 1000,
            };
        }
        for (var i = 0; i < args.Count; i++)
        {
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            o = args[i] switch
            {
                "--quick" => o,
                "--duration" => o with { Duration = Seconds(Value()) },
                "--warmup" => o with { WarmUp = Seconds(Value()) },
                "--requests" => o with { Requests = long.Parse(Value(), CultureInfo.InvariantCulture) },
                "--concurrency" => o with { Concurrency = [.. List(Value()).Select(int.Parse)] },
                "--cold-samples" => o with { ColdSamples = int.Parse(Value(), CultureInfo.InvariantCulture) },
                "--cold-method" => o with { ColdMethod = OneOf(Value(), "fresh-function", "config-change") },
                "--memory-instances" => o with { MemoryInstances = int.Parse(Value(), CultureInfo.InvariantCulture) },
                "--runtimes" => o with { Runtimes = [.. List(Value()).Select(r => OneOf(r, "provided", "dotnet"))] },
                "--sections" => o with { Sections = [.. List(Value()).Select(s => OneOf(s, "baseline", "warm", "wrk", "cold", "memory", "async", "cpi"))] },
                "--async-events" => o with { AsyncEvents = int.Parse(Value(), CultureInfo.InvariantCulture) },
                "--nimbus-dll" => o with { NimbusDll = Path.GetFullPath(Value()) },
                "--wrk-peer-dll" => o with { WrkPeerDll = Path.GetFullPath(Value()) },
                "--wrk-peer-label" => o with { WrkPeerLabel = Value() },
                "--nimbus-url" => o with { NimbusUrl = new Uri(Value()) },
                "--nimbus-pid" => o with { NimbusPid = int.Parse(Value(), CultureInfo.InvariantCulture) },
                "--dotnet-fixture" => o with { DotnetFixture = Path.GetFullPath(Value()) },
                "--bootstrap" => o with { ProvidedBootstrap = OneOf(Value(), "auto", "c", "python") },
                "--no-build" => o with { Build = false },
                "--no-pin" => o with { Pin = false },
                "--repo" => o with { RepoRoot = Path.GetFullPath(Value()) },
                "--results" => o with { ResultsDirectory = Path.GetFullPath(Value()) },
                "--start-timeout" => o with { StartTimeout = Seconds(Value()) },
                _ => throw new ArgumentException($"Unknown option {args[i]}."),
            };
        }
        if (o.Duration <= TimeSpan.Zero || o.AsyncEvents < 1 || o.ColdSamples < 1 || o.MemoryInstances < 1 || o.Concurrency.Any(c => c < 1))
        {
            throw new ArgumentException("--duration, --cold-samples, --memory-instances and --concurrency must be positive.");
        }
        return o;
    }

    private static TimeSpan Seconds(string value) => TimeSpan.FromSeconds(double.Parse(value, CultureInfo.InvariantCulture));

    private static string[] List(string value) => value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static string OneOf(string value, params string[] allowed) =>
        allowed.Contains(value) ? value : throw new ArgumentException($"'{value}' is not one of {string.Join(", ", allowed)}.");
}
