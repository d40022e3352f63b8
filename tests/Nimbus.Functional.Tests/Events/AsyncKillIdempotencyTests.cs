using System.Net;
using System.Text;
using Nimbus.Core.Api;
using Nimbus.Core.Idempotency;
using Nimbus.Functional.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Nimbus.Functional.Tests.Events;

/// <summary>
/// The kill -9 loop of <see cref="AsyncKillTests"/> with a function declaring <c>idempotency: {key: $.tag}</c>: what
/// docs/design/idempotency.md promises under kill -9, checked against what the killed process left in its file.
/// </summary>
/// <remarks>
/// The function appends one line per execution (its observed effect) before it sleeps, so a kill during the sleep is a
/// kill of an execution whose effect happened and whose result was not recorded: the one window the design note shows no
/// platform can close. After each kill the test reads, from the dead process's SQLite file, which keys had their result
/// recorded, and how many effect lines existed. Then: (1) no key executes after its result was recorded (the effects
/// after that kill hold none of those keys), (2) a key executes more than once only as often as a kill met one of its
/// executions in flight (started, result not recorded), (3) every event is processed (each key ran, the queue ends
/// empty, nothing dead-lettered). Every cycle after the first also resends keys of the cycle before under new request
/// ids, as a client retrying would: those are answered from the records, across the restart.
/// </remarks>
public sealed class AsyncKillIdempotencyTests(ITestOutputHelper output)
{
    private const string Function = "async-kill-idem";
    private const int Cycles = 5;
    private const int SleepMs = 200;
    private const int DefaultEventsPerCycle = 300;
    private const int ResentPerCycle = 50;
    private static readonly int s_eventsPerCycle =
        int.TryParse(Environment.GetEnvironmentVariable("NIMBUS_KILL_EVENTS"), out var events) && events > 0 ? events : DefaultEventsPerCycle;

    [Fact]
    public async Task KillNine_DuringAsyncLoad_IdempotentFunction_NoKeyRunsAfterItsResultWasRecorded()
    {
        var nimbus = await NimbusProcess.StartAsync();
        var dataDirectory = nimbus.DataDirectory;
        var function = await RecorderFunction.DeployAsync(nimbus.Client, Function, idempotency: new IdempotencyConfig { Key = "$.tag", TtlSeconds = 3600 });
        var keys = new List<string>();
        var kills = new List<KillSnapshot>();
        try
        {
            for (var cycle = 1; cycle <= Cycles; cycle++)
            {
                var fresh = Enumerable.Range(0, s_eventsPerCycle).Select(i => $"c{cycle}-{i}").ToList();
                var resent = cycle == 1 ? [] : keys.Skip(keys.Count - s_eventsPerCycle).Take(ResentPerCycle).ToList();
                keys.AddRange(fresh);
                await AcceptAsync(nimbus.Client, [.. fresh, .. resent]);

                var before = (await EffectsAsync(function)).Count;
                await function.WaitForAttemptsAsync(a => a.Length >= before + 5, TimeSpan.FromSeconds(60));
                nimbus.Process.Kill(entireProcessTree: true);
                await nimbus.Process.WaitForExitAsync();
                nimbus.Dispose();
                kills.Add(new KillSnapshot(kills.Count == 0 ? 0 : kills[^1].Effects.Count, await EffectsAsync(function),
                    StoreFile.CompletedKeyHashes(dataDirectory, Function)));

                nimbus = await NimbusProcess.StartAsync(dataDirectory);
            }

            var allRan = await NimbusTestServer.EventuallyAsync(async () =>
                new HashSet<string>(await EffectsAsync(function)).IsSupersetOf(keys) && StoreFile.QueueOf(dataDirectory, Function).Queued == 0,
                TimeSpan.FromSeconds(120));
            var effects = await EffectsAsync(function);
            var missing = keys.Except(effects).ToList();
            Assert.True(missing.Count == 0, $"{missing.Count} of {keys.Count} keys never ran (e.g. {string.Join(", ", missing.Take(3))})");
            Assert.True(allRan, $"the queue still holds {StoreFile.QueueOf(dataDirectory, Function).Queued} events after every key ran");
            Assert.Equal(0, StoreFile.QueueOf(dataDirectory, Function).DeadLetters);
            Assert.True(kills.Any(k => k.InFlight.Count > 0), "no kill met an execution in flight: the test proved nothing");
            Assert.True(kills.Any(k => k.Recorded.Count > 0), "no kill came after a recorded result: the test proved nothing");

            foreach (var (kill, i) in kills.Select((k, i) => (k, i + 1)))
            {
                output.WriteLine($"kill {i}: {kill.Effects.Count} executions so far, {kill.Recorded.Count} results recorded, {kill.InFlight.Count} in flight");
            }

            output.WriteLine($"{keys.Count} keys, {effects.Count} executions, {effects.Count - effects.Distinct().Count()} repeated");

            // (1) Zero executions of a key after its result was recorded.
            for (var i = 0; i < kills.Count; i++)
            {
                var rerun = effects.Skip(kills[i].Effects.Count).Where(key => kills[i].Recorded.Contains(IdempotencyKeyExtractor.Hash(key))).Distinct().ToList();
                Assert.True(rerun.Count == 0,
                    $"after kill {i + 1}, {rerun.Count} keys whose result was recorded ran again (e.g. {string.Join(", ", rerun.Take(3))})");
            }

            // (2) Duplicate effects only where a kill met an execution in flight, at most one per such kill.
            var unexplained = effects.GroupBy(key => key)
                .Select(g => (Key: g.Key, Extra: g.Count() - 1, Explained: kills.Count(k => k.InFlight.Contains(g.Key))))
                .Where(k => k.Extra > k.Explained)
                .ToList();
            Assert.True(unexplained.Count == 0,
                $"{unexplained.Count} keys ran more often than kills met them in flight (e.g. {string.Join(", ", unexplained.Take(3).Select(k => $"{k.Key}: {k.Extra} extra, {k.Explained} kills"))})");
        }
        finally
        {
            nimbus.Dispose();
        }
    }

    /// <summary>The keys of the executions recorded so far, one per execution, in order.</summary>
    private static async Task<List<string>> EffectsAsync(RecorderFunction function) =>
        (await File.ReadAllLinesAsync(function.RecordFile)).Where(l => l.Length > 0).Select(l => l.Split(' ')[1]).ToList();

    private static async Task AcceptAsync(HttpClient client, IReadOnlyList<string> keys)
    {
        await Parallel.ForEachAsync(keys, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (key, ct) =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/functions/{Function}/invoke")
            {
                Content = new StringContent($$"""{"tag":"{{key}}","sleepMs":{{SleepMs}}}""", Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("X-Nimbus-Invocation-Type", "Event");
            using var response = await client.SendAsync(request, ct);
            Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{key}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
            Assert.Single(response.Headers.GetValues(NimbusHeaders.RequestId));
        });
    }

    /// <summary>
    /// What a kill left: the effects so far (those from <paramref name="Since"/> on happened in this run) and the keys
    /// (hashes) whose result the file had recorded.
    /// </summary>
    private sealed record KillSnapshot(int Since, List<string> Effects, HashSet<string> Recorded)
    {
        /// <summary>
        /// Keys with an execution started in this run and no recorded result: the kill may have cut them. (The previous
        /// kill ended everything older, so an execution in flight now started after it.)
        /// </summary>
        public HashSet<string> InFlight { get; } =
            Effects.Skip(Since).Where(key => !Recorded.Contains(IdempotencyKeyExtractor.Hash(key))).ToHashSet(StringComparer.Ordinal);
    }
}
