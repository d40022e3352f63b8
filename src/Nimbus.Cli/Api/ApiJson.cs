using System.Text.Json;

namespace Nimbus.Cli.Api;

/// <summary>JSON settings shared with the server: System.Text.Json web defaults (camelCase).</summary>
internal static class ApiJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static readonly JsonSerializerOptions Indented = new(JsonSerializerDefaults.Web) { WriteIndented = true };
}
