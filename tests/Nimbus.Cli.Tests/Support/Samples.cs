using System.Text.Json;
using Nimbus.Cli.Api;
using Nimbus.Core.Api;
using Nimbus.Core.Functions;

namespace Nimbus.Cli.Tests.Support;

/// <summary>API answers as the server serializes them: the shared records with web defaults.</summary>
internal static class Samples
{
    public static readonly DateTimeOffset Created = new(2026, 11, 22, 3, 0, 0, TimeSpan.Zero);

    public static string Json<T>(T value) => JsonSerializer.Serialize(value, ApiJson.Options);

    public static FunctionInfo Function(string name, string? sha = "1a2b3c4d5e6f") => new(
        name, "node", "index.handler", 128, 3, new Dictionary<string, string> { ["GREETING"] = "hello" }, null, "Says hello",
        [new HttpRouteConfig("GET", "/hello", "live")], sha, 3174, 2, Created, Created.AddMinutes(5));

    public static VersionInfo Version(string name, int number) => new(
        name, number, "abcdef0123456789", 3174, $"v{number}", Created.AddMinutes(number),
        new FunctionConfig { Name = name, Runtime = "node", Handler = "index.handler" });

    public static AliasInfo Alias(string name, string alias, int version, Dictionary<string, double>? weights = null) =>
        new(name, alias, version, weights ?? [], null, Created);

    public static string Problem(int status, string title, string detail) =>
        JsonSerializer.Serialize(new { type = "about:blank", title, status, detail });
}
