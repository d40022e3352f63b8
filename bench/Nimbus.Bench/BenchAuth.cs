using System.Net.Http.Headers;

namespace Nimbus.Bench;

/// <summary>
/// The admin token of the Nimbus under test (<c>nimbus up</c> writes it into its data dir; for an attached server,
/// <c>NIMBUS_TOKEN</c>). Every client the harness makes sends it, as every caller of the invoke API must; the raw
/// echo baseline ignores it. Null before a Nimbus has started, and for builds older than authentication.
/// </summary>
public static class BenchAuth
{
    public static string? Token { get; private set; }

    public static void ReadFrom(string? dataDirectory)
    {
        var file = dataDirectory is null ? null : Path.Combine(dataDirectory, "admin-token");
        Token = file is not null && File.Exists(file)
            ? File.ReadAllText(file).Trim()
            : Environment.GetEnvironmentVariable("NIMBUS_TOKEN") is { Length: > 0 } fromEnvironment ? fromEnvironment : null;
    }

    public static void Apply(HttpClient client)
    {
        client.DefaultRequestHeaders.Authorization = Token is null ? null : new AuthenticationHeaderValue("Bearer", Token);
    }
}
