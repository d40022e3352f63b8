using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Nimbus.Core.Alarms;

namespace Nimbus.Server.Alarms.Notifications;

/// <summary>One attempt to deliver one notification: an HTTP POST for webhooks and Slack (signed the same way; Slack
/// ignores the headers), an async invocation for a function. 2xx is delivered; anything else is a failed attempt.</summary>
public sealed class NotificationSender(HttpClient http, WebhookSecret secret, IAsyncFunctionInvoker functions)
{
    public static readonly TimeSpan HttpTimeout = TimeSpan.FromSeconds(10);

    public async Task<SendOutcome> SendAsync(NotificationTarget target, string @event, long id, string payload, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        var deliveryId = id.ToString(CultureInfo.InvariantCulture);
        if (target.Kind == NotificationKind.Function)
        {
            var accepted = await functions.InvokeAsync(target.Address, Encoding.UTF8.GetBytes(payload), $"alarm-notification-{deliveryId}", cancellationToken).ConfigureAwait(false);
            return accepted ? new SendOutcome(true, null, null) : new SendOutcome(false, null, $"function {target.Address} did not accept the event");
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, target.Address)
        {
            Content = new StringContent(payload, Encoding.UTF8, "application/json"),
        };
        var timestamp = now.ToUnixTimeSeconds();
        request.Headers.Add(WebhookSignature.TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Compute(secret.Key, timestamp, payload));
        request.Headers.Add(WebhookSignature.DeliveryHeader, deliveryId);
        request.Headers.Add(WebhookSignature.EventHeader, @event);
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("Nimbus-Alarms", "1"));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(HttpTimeout);
        try
        {
            using var response = await http.SendAsync(request, timeout.Token).ConfigureAwait(false);
            var code = (int)response.StatusCode;
            return response.IsSuccessStatusCode
                ? new SendOutcome(true, code, null)
                : new SendOutcome(false, code, $"the receiver answered {code.ToString(CultureInfo.InvariantCulture)} {response.ReasonPhrase}");
        }
        catch (HttpRequestException ex)
        {
            return new SendOutcome(false, null, ex.Message);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new SendOutcome(false, null, $"no answer within {HttpTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s");
        }
    }
}

/// <summary>What one attempt did: delivered, the HTTP status when there was one, and why it failed.</summary>
public sealed record SendOutcome(bool Delivered, int? StatusCode, string? Error);
