using System.Net.Http.Json;
using Nimbus.Core.Api;
using Nimbus.Core.Events;
using Nimbus.Core.Idempotency;
using Nimbus.Functional.Tests.Infrastructure;

namespace Nimbus.Functional.Tests.Events;

/// <summary>The async-recorder fixture deployed under a name, with the file it appends each attempt's request id to.</summary>
public sealed class RecorderFunction
{
    private RecorderFunction(string name, string recordFile)
    {
        Name = name;
        RecordFile = recordFile;
    }

    public string Name { get; }
    public string RecordFile { get; }

    public static async Task<RecorderFunction> DeployAsync(HttpClient client, string name, AsyncConfig? async = null, bool fail = false, int? reserved = null,
        IdempotencyConfig? idempotency = null, double timeoutSeconds = 10, List<Nimbus.Core.Security.Policy.PolicyStatement>? policy = null)
    {
        var recordFile = SharedScratch.NewFile($"nimbus-record-{name}");
        var function = new RecorderFunction(name, recordFile);
        await function.ConfigureAsync(client, async, fail, reserved, idempotency, timeoutSeconds, policy);
        using var content = new ByteArrayContent(Nimbus.Cli.Packaging.DeterministicZip.Create(RepoPaths.Fixture("async-recorder")));
        content.Headers.ContentType = new("application/zip");
        await NimbusTestServer.EnsureSuccessAsync(await client.PutAsync($"/api/v1/functions/{name}/code", content), $"PUT code of {name}");
        return function;
    }

    /// <summary>Replaces the configuration (e.g. to stop failing before a redrive).</summary>
    public async Task ConfigureAsync(HttpClient client, AsyncConfig? async, bool fail, int? reserved = null, IdempotencyConfig? idempotency = null,
        double timeoutSeconds = 10, List<Nimbus.Core.Security.Policy.PolicyStatement>? policy = null)
    {
        var config = new FunctionConfigRequest
        {
            Runtime = "node",
            Handler = "index.handler",
            TimeoutSeconds = timeoutSeconds,
            Environment = new Dictionary<string, string> { ["RECORD_FILE"] = RecordFile, ["FAIL"] = fail ? "1" : "0" },
            Async = async,
            ReservedConcurrency = reserved,
            Idempotency = idempotency,
            Policy = policy,
        };
        var put = await client.PutAsJsonAsync($"/api/v1/functions/{Name}", config, NimbusTestServer.Json);
        await NimbusTestServer.EnsureSuccessAsync(put, $"PUT config of {Name}");
    }

    /// <summary>The request ids recorded so far, one per attempt, in order.</summary>
    public async Task<string[]> AttemptsAsync() =>
        (await File.ReadAllLinesAsync(RecordFile)).Where(l => l.Length > 0).Select(l => l.Split(' ')[0]).ToArray();

    /// <summary>The invocation records (from destinations) this function received, parsed.</summary>
    public async Task<System.Text.Json.JsonDocument[]> RecordsAsync()
    {
        var path = RecordFile + ".records";
        return File.Exists(path)
            ? (await File.ReadAllLinesAsync(path)).Where(l => l.Length > 0).Select(l => System.Text.Json.JsonDocument.Parse(l)).ToArray()
            : [];
    }

    /// <summary>Waits until <paramref name="until"/> holds for the recorded request ids; returns them.</summary>
    public async Task<string[]> WaitForAttemptsAsync(Func<string[], bool> until, TimeSpan timeout)
    {
        string[] attempts = [];
        await NimbusTestServer.EventuallyAsync(async () => until(attempts = await AttemptsAsync()), timeout);
        return attempts;
    }
}
