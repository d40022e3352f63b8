using System.Collections.Concurrent;
using Nimbus.Core.Functions;
using Nimbus.Core.Security.Jwt;

namespace Nimbus.Server.Security;

/// <summary>
/// The key sets of routes with <c>auth: {jwt: …}</c>: a file is re-read when it changes, a URL is fetched at most
/// every <see cref="UrlRefresh"/> (sooner when a token names a key id the cached set lacks, at most once a minute).
/// </summary>
public sealed class JwksCache(TimeProvider time)
{
    public static readonly TimeSpan UrlRefresh = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan s_minimumRefetch = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly HttpClient _client = new() { Timeout = TimeSpan.FromSeconds(10) };

    /// <returns>The keys, or null with <paramref name="error"/> (said to the server log, not to the caller).</returns>
    public async Task<(IReadOnlyList<JwksKey>? Keys, string Error)> GetAsync(RouteAuth auth, bool refresh, CancellationToken cancellationToken)
    {
        if (auth.JwksFile is { } file)
        {
            try
            {
                var stamp = File.GetLastWriteTimeUtc(file);
                if (_entries.TryGetValue(file, out var cached) && cached.Stamp == stamp)
                {
                    return (cached.Keys, "");
                }

                var keys = JwksParser.TryParse(await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false), out var error);
                if (keys is not null)
                {
                    _entries[file] = new Entry(keys, stamp, time.GetUtcNow());
                }

                return (keys, error);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return (null, $"cannot read the key set '{file}': {ex.Message}");
            }
        }

        var url = auth.JwksUrl!;
        var now = time.GetUtcNow();
        if (_entries.TryGetValue(url, out var entry) && (now - entry.FetchedAt < (refresh ? s_minimumRefetch : UrlRefresh)))
        {
            return (entry.Keys, "");
        }

        try
        {
            var json = await _client.GetStringAsync(url, cancellationToken).ConfigureAwait(false);
            var keys = JwksParser.TryParse(json, out var error);
            if (keys is not null)
            {
                _entries[url] = new Entry(keys, DateTime.MinValue, now);
            }

            return keys is not null ? (keys, "") : (entry?.Keys, error);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return (entry?.Keys, $"cannot fetch the key set '{url}': {ex.Message}");
        }
    }

    private sealed record Entry(IReadOnlyList<JwksKey> Keys, DateTime Stamp, DateTimeOffset FetchedAt);
}
