using Nimbus.Core.Logs;

namespace Nimbus.Cli.Output;

/// <summary>One readable line per log record: <c>2026-11-22T03:15:44.123Z  1a2b3c4d  INFO   message</c>.</summary>
internal static class LogLineFormatter
{
    public static string Format(LogRecord record) =>
        $"{Formats.Time(record.Time)}  {Formats.ShortId(record.RequestId),-8}  {record.Level,-5}  {record.Message.TrimEnd('\r', '\n')}";
}
