using System.Text.Json;
using Nimbus.Cli.Api;

namespace Nimbus.Cli.Output;

/// <summary>Writes API shapes as JSON for <c>--output json</c>: indented documents, or one compact object per line for streams.</summary>
internal static class JsonOutput
{
    public static void Write<T>(TextWriter output, T value) => output.WriteLine(JsonSerializer.Serialize(value, ApiJson.Indented));

    public static void WriteLine<T>(TextWriter output, T value) => output.WriteLine(JsonSerializer.Serialize(value, ApiJson.Options));
}
