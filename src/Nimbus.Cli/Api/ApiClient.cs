using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Nimbus.Cli.Output;
using Nimbus.Core.Api;
using Nimbus.Core.Errors;
using Nimbus.Core.Functions;
using Nimbus.Core.Logs;
using Nimbus.Core.Metrics;

namespace Nimbus.Cli.Api;

/// <summary>
/// The management and invoke API (docs/api.md) over HTTP. Error answers become <see cref="ApiException"/>,
/// a server that cannot be reached, or that does not answer in time, becomes a <see cref="CliException"/> with exit code 3.
/// Every request has a deadline: <see cref="ManagementTimeout"/> for management calls, <see cref="UploadTimeout"/>
/// for code uploads, and the caller's for invocations; <c>--timeout</c> (<paramref name="timeoutOverride"/>) replaces all of them.
/// </summary>
internal sealed partial class ApiClient(HttpClient http, TimeSpan? timeoutOverride = null, TimeProvider? time = null) : IDisposable
{
    public static readonly TimeSpan ManagementTimeout = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan UploadTimeout = TimeSpan.FromSeconds(120);

    /// <summary>Added to a function's own timeout for an invocation: covers its init (at most 10 s) and waiting for an instance.</summary>
    public static readonly TimeSpan InvokeMargin = TimeSpan.FromSeconds(30);

    private readonly HttpClient _http = http;
    private readonly TimeSpan? _timeoutOverride = timeoutOverride;
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public Uri BaseAddress => _http.BaseAddress!;

    /// <summary>The <c>--timeout</c> given, if any; it replaces every default deadline.</summary>
    public TimeSpan? TimeoutOverride => _timeoutOverride;

    public static ApiClient Create(Uri baseAddress, TimeSpan? timeoutOverride = null, TimeProvider? time = null, string? token = null) => new(
        new HttpClient
        {
            DefaultRequestHeaders = { Authorization = token is null ? null : new AuthenticationHeaderValue("Bearer", token) },

            // Relative API paths must resolve under a path prefix too (http://host/nimbus/ + api/v1/...).
            BaseAddress = baseAddress.AbsoluteUri.EndsWith('/') ? baseAddress : new Uri(baseAddress.AbsoluteUri + "/"),

            // Each request gets its own deadline (see SendCoreAsync), so a long invocation is not cut at a fixed 100 s.
            Timeout = Timeout.InfiniteTimeSpan,
        },
        timeoutOverride,
        time);

    public Task<IReadOnlyList<FunctionInfo>> ListFunctionsAsync(CancellationToken cancellationToken) =>
        GetAsync<IReadOnlyList<FunctionInfo>>("api/v1/functions", cancellationToken);

    public Task<FunctionInfo> GetFunctionAsync(string name, CancellationToken cancellationToken) =>
        GetAsync<FunctionInfo>(FunctionPath(name), cancellationToken);

    public Task DeleteFunctionAsync(string name, CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Delete, FunctionPath(name)), cancellationToken);

    public Task<FunctionInfo> PutFunctionAsync(string name, FunctionConfigRequest config, CancellationToken cancellationToken) =>
        SendAsync<FunctionInfo>(HttpMethod.Put, FunctionPath(name), JsonContent.Create(config, options: ApiJson.Options), cancellationToken);

    public Task<CodeUploadResult> UploadCodeAsync(string name, byte[] zip, CancellationToken cancellationToken)
    {
        var content = new ByteArrayContent(zip);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
        return SendAsync<CodeUploadResult>(HttpMethod.Put, FunctionPath(name) + "/code", content, cancellationToken, UploadTimeout);
    }

    public Task<VersionInfo> PublishVersionAsync(string name, PublishVersionRequest request, CancellationToken cancellationToken) =>
        SendAsync<VersionInfo>(HttpMethod.Post, FunctionPath(name) + "/versions", JsonContent.Create(request, options: ApiJson.Options), cancellationToken);

    public Task<IReadOnlyList<VersionInfo>> ListVersionsAsync(string name, CancellationToken cancellationToken) =>
        GetAsync<IReadOnlyList<VersionInfo>>(FunctionPath(name) + "/versions", cancellationToken);

    public Task<IReadOnlyList<AliasInfo>> ListAliasesAsync(string name, CancellationToken cancellationToken) =>
        GetAsync<IReadOnlyList<AliasInfo>>(FunctionPath(name) + "/aliases", cancellationToken);

    public Task<AliasInfo> PutAliasAsync(string name, string alias, AliasRequest request, CancellationToken cancellationToken) =>
        SendAsync<AliasInfo>(
            HttpMethod.Put,
            $"{FunctionPath(name)}/aliases/{Uri.EscapeDataString(alias)}",
            JsonContent.Create(request, options: ApiJson.Options),
            cancellationToken);

    public Task PutProvisionedConcurrencyAsync(string name, string qualifier, int count, CancellationToken cancellationToken) =>
        SendAsync(
            new HttpRequestMessage(HttpMethod.Put, $"{FunctionPath(name)}/provisioned-concurrency/{Uri.EscapeDataString(qualifier)}")
            {
                Content = JsonContent.Create(new ProvisionedConcurrencyRequest(count), options: ApiJson.Options),
            },
            cancellationToken);

    public Task<IReadOnlyList<ProvisionedConcurrencyRecord>> ListProvisionedConcurrencyAsync(string name, CancellationToken cancellationToken) =>
        GetAsync<IReadOnlyList<ProvisionedConcurrencyRecord>>(FunctionPath(name) + "/provisioned-concurrency", cancellationToken);

    public Task<IReadOnlyList<InstanceInfo>> ListInstancesAsync(CancellationToken cancellationToken) =>
        GetAsync<IReadOnlyList<InstanceInfo>>("api/v1/instances", cancellationToken);

    public Task<IReadOnlyList<LogRecord>> GetLogsAsync(LogQuery query, CancellationToken cancellationToken)
    {
        var parameters = new List<string>();
        void Add(string key, string? value)
        {
            if (value is not null)
            {
                parameters.Add($"{key}={Uri.EscapeDataString(value)}");
            }
        }

        Add("requestId", query.RequestId);
        Add("traceId", query.TraceId);
        Add("since", query.Since?.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
        Add("until", query.Until?.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
        Add("level", query.Level);
        Add("q", query.Text);
        Add("afterId", query.AfterId?.ToString(CultureInfo.InvariantCulture));
        Add("limit", query.Limit.ToString(CultureInfo.InvariantCulture));
        return GetAsync<IReadOnlyList<LogRecord>>($"{FunctionPath(query.FunctionName)}/logs?{string.Join('&', parameters)}", cancellationToken);
    }

    public Task<IReadOnlyList<AlarmInfo>> ListAlarmsAsync(string? function, CancellationToken cancellationToken) =>
        GetAsync<IReadOnlyList<AlarmInfo>>("api/v1/alarms" + (function is null ? "" : $"?function={Uri.EscapeDataString(function)}"), cancellationToken);

    public Task<AlarmInfo> GetAlarmAsync(string name, CancellationToken cancellationToken) =>
        GetAsync<AlarmInfo>($"api/v1/alarms/{Uri.EscapeDataString(name)}", cancellationToken);

    public Task<IReadOnlyList<AlarmHistoryEntry>> GetAlarmHistoryAsync(string name, CancellationToken cancellationToken) =>
        GetAsync<IReadOnlyList<AlarmHistoryEntry>>($"api/v1/alarms/{Uri.EscapeDataString(name)}/history", cancellationToken);

    /// <summary>Series of <c>GET /api/v1/metrics</c>; each non-null parameter is passed as given.</summary>
    public Task<MetricsResponse> GetMetricsAsync(IReadOnlyDictionary<string, string?> parameters, CancellationToken cancellationToken) =>
        GetAsync<MetricsResponse>("api/v1/metrics?" + Query(parameters), cancellationToken);

    public Task<FunctionMetricsSummary> GetMetricsSummaryAsync(string name, string? since, double? pricePerGbSecond, CancellationToken cancellationToken) =>
        GetAsync<FunctionMetricsSummary>($"{FunctionPath(name)}/metrics/summary?" + Query(new Dictionary<string, string?>
        {
            ["since"] = since,
            ["pricePerGbSecond"] = pricePerGbSecond?.ToString("0.####################", CultureInfo.InvariantCulture),
        }), cancellationToken);

    public Task<IReadOnlyList<ErrorGroupInfo>> ListErrorGroupsAsync(string name, int? limit, CancellationToken cancellationToken) =>
        GetAsync<IReadOnlyList<ErrorGroupInfo>>($"{FunctionPath(name)}/errors" + (limit is { } n ? $"?limit={n.ToString(CultureInfo.InvariantCulture)}" : ""), cancellationToken);

    public Task<ErrorGroupInfo> GetErrorGroupAsync(string id, CancellationToken cancellationToken) =>
        GetAsync<ErrorGroupInfo>($"api/v1/errors/{Uri.EscapeDataString(id)}", cancellationToken);

    public Task<IReadOnlyList<Core.Tracing.TraceSummary>> ListTracesAsync(string? function, string since, bool errorsOnly, int? limit, CancellationToken cancellationToken) =>
        GetAsync<IReadOnlyList<Core.Tracing.TraceSummary>>("api/v1/traces?since=" + Uri.EscapeDataString(since)
            + (function is null ? "" : "&function=" + Uri.EscapeDataString(function)) + (errorsOnly ? "&error=true" : "")
            + (limit is { } n ? $"&limit={n.ToString(CultureInfo.InvariantCulture)}" : ""), cancellationToken);

    public Task<Core.Tracing.TraceDetail> GetTraceAsync(string traceId, CancellationToken cancellationToken) =>
        GetAsync<Core.Tracing.TraceDetail>($"api/v1/traces/{Uri.EscapeDataString(traceId)}", cancellationToken);

    /// <summary>
    /// Invokes <paramref name="name"/> (at <paramref name="qualifier"/>, else <c>$LATEST</c>) synchronously, waiting at
    /// most <paramref name="timeout"/> (unless <c>--timeout</c> says otherwise).
    /// </summary>
    public async Task<InvokeResult> InvokeAsync(string name, string? qualifier, byte[] payload, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var path = FunctionPath(name) + "/invoke" + (qualifier is null ? "" : $"?qualifier={Uri.EscapeDataString(qualifier)}");
        var content = new ByteArrayContent(payload);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await SendCoreAsync(new HttpRequestMessage(HttpMethod.Post, path) { Content = content }, timeout, cancellationToken);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        return new InvokeResult(
            body,
            Header(response, NimbusHeaders.RequestId),
            Header(response, NimbusHeaders.ExecutedVersion),
            string.Equals(Header(response, NimbusHeaders.ColdStart), "true", StringComparison.OrdinalIgnoreCase),
            Number(Header(response, NimbusHeaders.InitDuration)),
            Number(Header(response, NimbusHeaders.Duration)),
            Header(response, NimbusHeaders.FunctionError));
    }

    public void Dispose() => _http.Dispose();

    private static string Query(IReadOnlyDictionary<string, string?> parameters) =>
        string.Join('&', parameters.Where(p => p.Value is not null).Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value!)}"));

    private static string FunctionPath(string name) => $"api/v1/functions/{Uri.EscapeDataString(name)}";

    private async Task<T> GetAsync<T>(string path, CancellationToken cancellationToken) =>
        await SendAsync<T>(HttpMethod.Get, path, null, cancellationToken);

    private async Task<T> SendAsync<T>(HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken, TimeSpan? timeout = null)
    {
        using var response = await SendCoreAsync(new HttpRequestMessage(method, path) { Content = content }, timeout ?? ManagementTimeout, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        try
        {
            return System.Text.Json.JsonSerializer.Deserialize<T>(body, ApiJson.Options)
                ?? throw new CliException($"the server answered {method} /{path} with an empty body", ExitCodes.Failed);
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new CliException($"the server answered {method} /{path} with JSON this client does not understand: {e.Message}", ExitCodes.Failed);
        }
    }

    private async Task SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var response = await SendCoreAsync(request, ManagementTimeout, cancellationToken);
    }

    private async Task<HttpResponseMessage> SendCoreAsync(HttpRequestMessage request, TimeSpan timeout, CancellationToken cancellationToken)
    {
        timeout = _timeoutOverride ?? timeout;
        var what = $"{request.Method} /{request.RequestUri?.OriginalString}";
        HttpResponseMessage response;

        // The deadline covers the whole answer: SendAsync buffers the body before it returns.
        using var deadline = new CancellationTokenSource(timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            response = await _http.SendAsync(request, linked.Token);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new CliException(
                $"no answer from Nimbus at {BaseAddress.AbsoluteUri.TrimEnd('/')} within {Formats.Duration(timeout)} ({what}); " +
                "is the server overloaded or stuck? (wait longer with --timeout)",
                ExitCodes.Unreachable);
        }
        catch (HttpRequestException e) when (e.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError or HttpRequestError.SecureConnectionError)
        {
            throw new CliException($"cannot reach Nimbus at {BaseAddress.AbsoluteUri.TrimEnd('/')}: is `nimbus up` running?", ExitCodes.Unreachable);
        }
        catch (HttpRequestException e)
        {
            throw new CliException($"request to {BaseAddress.AbsoluteUri.TrimEnd('/')} failed: {e.Message}", ExitCodes.Failed);
        }
        finally
        {
            request.Dispose();
        }

        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            var message = ProblemReader.Describe(response.StatusCode, response.ReasonPhrase, body);
            if (response.StatusCode == System.Net.HttpStatusCode.Unauthorized)
            {
                message += " (log in with `nimbus login --url URL --token-stdin`, or set NIMBUS_TOKEN)";
            }

            throw new ApiException(response.StatusCode, message);
        }
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    private static double? Number(string? text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : null;
}
