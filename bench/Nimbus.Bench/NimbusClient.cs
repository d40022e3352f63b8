using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Nimbus.Bench;

/// <summary>
/// The management and invoke calls of docs/api.md the harness makes. Answers are parsed with JsonDocument rather
/// than the shared records so that the harness keeps working (and says what it missed) while the API grows.
/// </summary>
public sealed class NimbusClient(Uri baseAddress) : IDisposable
{
    public const string ColdStartHeader = "X-Nimbus-Cold-Start";
    public const string InitDurationHeader = "X-Nimbus-Init-Duration-Ms";
    public const string FunctionErrorHeader = "X-Nimbus-Function-Error";

    private readonly HttpClient _http = new(new SocketsHttpHandler { UseProxy = false })
    {
        BaseAddress = baseAddress,
        Timeout = TimeSpan.FromSeconds(120),
    };

    public Uri BaseAddress => baseAddress;

    /// <summary>The client's own HttpClient (so the harness can give it credentials).</summary>
    internal HttpClient Http => _http;

    public Uri InvokeUri(string function) => new(baseAddress, $"/api/v1/functions/{function}/invoke");

    public async Task<bool> IsHealthyAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(2));
            using var response = await _http.GetAsync("/api/v1/health", timeout.Token);
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    public async Task PutFunctionAsync(
        string name, string runtime, string handler, IReadOnlyDictionary<string, string>? environment, CancellationToken cancellationToken,
        int concurrencyPerInstance = 1)
    {
        var fields = new Dictionary<string, object?>
        {
            ["runtime"] = runtime,
            ["handler"] = handler,
            ["memoryMb"] = 256,
            ["timeoutSeconds"] = 10,
            ["environment"] = environment ?? new Dictionary<string, string>(),
        };
        if (concurrencyPerInstance != 1)
        {
            fields["concurrencyPerInstance"] = concurrencyPerInstance;
        }

        var body = JsonSerializer.Serialize(fields);
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await _http.PutAsync($"/api/v1/functions/{name}", content, cancellationToken);
        await EnsureSuccessAsync(response, $"PUT /api/v1/functions/{name}", cancellationToken);
    }

    public async Task PutCodeAsync(string name, byte[] zip, CancellationToken cancellationToken)
    {
        using var content = new ByteArrayContent(zip);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
        using var response = await _http.PutAsync($"/api/v1/functions/{name}/code", content, cancellationToken);
        await EnsureSuccessAsync(response, $"PUT /api/v1/functions/{name}/code", cancellationToken);
    }

    public async Task DeleteFunctionAsync(string name, CancellationToken cancellationToken)
    {
        using var response = await _http.DeleteAsync($"/api/v1/functions/{name}", cancellationToken);
        if (response.StatusCode != System.Net.HttpStatusCode.NotFound)
        {
            await EnsureSuccessAsync(response, $"DELETE /api/v1/functions/{name}", cancellationToken);
        }
    }

    public async Task<InvokeAnswer> InvokeAsync(string name, byte[] payload, CancellationToken cancellationToken)
    {
        using var content = new ByteArrayContent(payload);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var start = Stopwatch.GetTimestamp();
        using var response = await _http.PostAsync($"/api/v1/functions/{name}/invoke", content, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        var elapsed = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        return new InvokeAnswer(
            (int)response.StatusCode,
            elapsed,
            Header(response, ColdStartHeader) is { } cold && cold.Equals("true", StringComparison.OrdinalIgnoreCase),
            double.TryParse(Header(response, InitDurationHeader), NumberStyles.Float, CultureInfo.InvariantCulture, out var init) ? init : null,
            Header(response, FunctionErrorHeader),
            body);
    }

    public async Task<List<WorkerInstance>> GetInstancesAsync(CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync("/api/v1/instances", cancellationToken);
        await EnsureSuccessAsync(response, "GET /api/v1/instances", cancellationToken);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(cancellationToken));
        var list = new List<WorkerInstance>();
        foreach (var e in doc.RootElement.EnumerateArray())
        {
            list.Add(new WorkerInstance(
                Str(e, "id") ?? "",
                Str(e, "functionName") ?? "",
                e.TryGetProperty("processId", out var pid) && pid.TryGetInt32(out var p) ? p : 0,
                Str(e, "state") ?? "",
                e.TryGetProperty("initDurationMs", out var init) && init.ValueKind == JsonValueKind.Number ? init.GetDouble() : null));
        }
        return list;
    }

    public void Dispose() => _http.Dispose();

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, string call, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (body.Length > 500)
        {
            body = body[..500] + "…";
        }
        throw new NimbusApiException($"{call} answered {(int)response.StatusCode} {response.ReasonPhrase}: {body}");
    }
}
