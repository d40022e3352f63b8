namespace Nimbus.Core.Alarms;

/// <summary>Where an alarm's notifications go: <c>webhook:URL</c> (signed JSON), <c>slack:URL</c> (a Slack incoming
/// webhook's payload) or <c>function:NAME</c> (an asynchronous invocation of that function).</summary>
public sealed record NotificationTarget(NotificationKind Kind, string Address)
{
    public override string ToString() => $"{Prefix(Kind)}:{Address}";

    public static string Prefix(NotificationKind kind) => kind switch
    {
        NotificationKind.Slack => "slack",
        NotificationKind.Function => "function",
        _ => "webhook",
    };

    public static bool TryParse(string? text, out NotificationTarget target, out string? error)
    {
        target = new NotificationTarget(NotificationKind.Webhook, "");
        error = null;
        var colon = text?.IndexOf(':', StringComparison.Ordinal) ?? -1;
        if (text is null || colon <= 0)
        {
            error = "must be webhook:URL, slack:URL or function:NAME";
            return false;
        }

        var address = text[(colon + 1)..].Trim();
        switch (text[..colon])
        {
            case "webhook" or "slack":
                if (!Uri.TryCreate(address, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
                {
                    error = $"'{address}' is not an http or https URL";
                    return false;
                }

                target = new NotificationTarget(text[..colon] == "slack" ? NotificationKind.Slack : NotificationKind.Webhook, address);
                return true;
            case "function":
                if (!Functions.NameRules.IsValidFunctionName(address))
                {
                    error = $"'{address}' is not a function name";
                    return false;
                }

                target = new NotificationTarget(NotificationKind.Function, address);
                return true;
            default:
                error = $"'{text[..colon]}' is not a notification kind; use webhook:URL, slack:URL or function:NAME";
                return false;
        }
    }
}

public enum NotificationKind
{
    Webhook,
    Slack,
    Function,
}
