namespace Nimbus.Core.Slos;

/// <summary>How urgently a burn-rate alert wants a human: now (page) or in working hours (ticket).</summary>
public enum SloAlertSeverity
{
    Page,
    Ticket,
}
