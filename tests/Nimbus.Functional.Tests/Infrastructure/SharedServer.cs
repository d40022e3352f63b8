namespace Nimbus.Functional.Tests.Infrastructure;

/// <summary>One server shared by the tests of a class (each test uses its own function names).</summary>
public sealed class SharedServer : IAsyncLifetime
{
    public NimbusTestServer Nimbus { get; private set; } = null!;

    public async Task InitializeAsync() => Nimbus = await NimbusTestServer.StartAsync();

    public async Task DisposeAsync() => await Nimbus.DisposeAsync();
}
