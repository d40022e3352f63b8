using System.Net;
using System.Text;
using Nimbus.Core.Api;
using Nimbus.Functional.Tests.Infrastructure;

namespace Nimbus.Functional.Tests.Events;

/// <summary>
/// The durability promise with a real <c>nimbus up</c>: every event answered 202 runs at least once, although the
/// platform is killed with SIGKILL (workers included) while it works through them, and restarted on the same data.
/// </summary>
public sealed class AsyncKillTests
{
    // The issue's run is five cycles of 2,000 events. 2,000 node invocations per cycle take minutes on a loaded two-core
    // machine, so the default is 400 (the loss and duplicate checks do not depend on the count, only the odds that a kill
    // meets in-flight events, which 16 concurrent attempts make certain); NIMBUS_KILL_EVENTS=2000 runs the issue's figure.
    private const int Cycles = 5;

    // Each attempt lasts this long, so the queue cannot drain while it is being filled: a kill always meets a backlog
    // and attempts in flight (16 at once: about 5 s of work per cycle of 400).
    private const int SleepMs = 200;
    private const int DefaultEventsPerCycle = 400;
    private static readonly int s_eventsPerCycle =
        int.TryParse(Environment.GetEnvironmentVariable("NIMBUS_KILL_EVENTS"), out var events) && events > 0 ? events : DefaultEventsPerCycle;

    [Fact]
    public async Task KillNine_DuringAsyncLoad_EveryAcceptedEventIsProcessedAtLeastOnceAfterRestart()
    {
        var nimbus = await NimbusProcess.StartAsync();
        var dataDirectory = nimbus.DataDirectory;
        var function = await RecorderFunction.DeployAsync(nimbus.Client, "async-kill");
        var accepted = new List<string>();
        var unfinishedAtAKill = false;
        var startedBeforeAKill = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            for (var cycle = 1; cycle <= Cycles; cycle++)
            {
                var ids = await AcceptAsync(nimbus.Client, cycle);
                accepted.AddRange(ids);

                // Kill while the queue is being worked through: some attempts done, most not.
                var before = (await function.AttemptsAsync()).Length;
                await function.WaitForAttemptsAsync(a => a.Length >= before + 5, TimeSpan.FromSeconds(60));
                nimbus.Process.Kill(entireProcessTree: true);
                unfinishedAtAKill |= accepted.Except(await function.AttemptsAsync()).Any();
                await nimbus.Process.WaitForExitAsync();
                startedBeforeAKill.UnionWith(await function.AttemptsAsync());
                nimbus.Dispose();

                nimbus = await NimbusProcess.StartAsync(dataDirectory);
            }

            var attempts = await function.WaitForAttemptsAsync(a => accepted.All(new HashSet<string>(a).Contains), TimeSpan.FromSeconds(120));
            Assert.True(unfinishedAtAKill, "every event had already run when the platform was killed: the test proved nothing");
            var seen = new HashSet<string>(attempts);
            var lost = accepted.Where(id => !seen.Contains(id)).ToList();
            Assert.True(lost.Count == 0,
                $"after {Cycles} kill -9 cycles, {lost.Count} of {accepted.Count} accepted events never ran (e.g. {string.Join(", ", lost.Take(3))})");

            // A second run is allowed only for an event that had started when a kill came (it may have been in flight).
            var unexplained = attempts.GroupBy(id => id).Where(g => g.Count() > 1 && !startedBeforeAKill.Contains(g.Key)).Select(g => g.Key).ToList();
            Assert.True(unexplained.Count == 0,
                $"{unexplained.Count} events ran more than once although no kill met them in flight (e.g. {string.Join(", ", unexplained.Take(3))})");
        }
        finally
        {
            nimbus.Dispose();
        }
    }

    private static async Task<List<string>> AcceptAsync(HttpClient client, int cycle)
    {
        var ids = new List<string>();
        var lockObject = new object();
        await Parallel.ForEachAsync(Enumerable.Range(0, s_eventsPerCycle), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/functions/async-kill/invoke")
            {
                Content = new StringContent($$"""{"tag":"c{{cycle}}-{{i}}","sleepMs":{{SleepMs}}}""", Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("X-Nimbus-Invocation-Type", "Event");
            using var response = await client.SendAsync(request, ct);
            Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"cycle {cycle}, event {i}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
            lock (lockObject)
            {
                ids.Add(response.Headers.GetValues(NimbusHeaders.RequestId).Single());
            }
        });
        return ids;
    }
}
