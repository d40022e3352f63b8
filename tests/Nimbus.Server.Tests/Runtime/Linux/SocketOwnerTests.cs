using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Nimbus.Server.Runtime.Linux;

namespace Nimbus.Server.Tests.Runtime.Linux;

public sealed class SocketOwnerTests : IDisposable
{
    private readonly TestProcesses _processes = new();

    public void Dispose() => _processes.Dispose();

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    public async Task IsOwnedByProcessTree_WhenAChildOfTheRootConnected_ReturnsTrue(string loopback)
    {
        using var listener = new TcpListener(IPAddress.Parse(loopback), 0);
        listener.Start();
        var root = ConnectFromPython(loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
        using var accepted = await AcceptAsync(listener);
        var python = int.Parse(await TestProcesses.ReadLineAsync(root));

        var (client, server) = Endpoints(accepted);

        Assert.True(SocketOwner.IsOwnedByProcessTree(client, server, root.Id), $"{client} -> {server} should belong to the tree of {root.Id}");
        Assert.True(SocketOwner.IsOwnedByProcessTree(client, server, python), $"{client} -> {server} should belong to python ({python})");
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    public async Task IsOwnedByProcessTree_WhenAnotherProcessConnected_ReturnsFalse(string loopback)
    {
        using var listener = new TcpListener(IPAddress.Parse(loopback), 0);
        listener.Start();
        var otherRoot = _processes.Shell("sleep 30 & wait");
        using var intruder = new TcpClient(listener.LocalEndpoint.AddressFamily);
        await intruder.ConnectAsync((IPEndPoint)listener.LocalEndpoint);
        using var accepted = await AcceptAsync(listener);

        var (client, server) = Endpoints(accepted);

        Assert.False(SocketOwner.IsOwnedByProcessTree(client, server, otherRoot.Id));
        // Control: the same lookup finds the socket in the process that really holds it.
        Assert.True(SocketOwner.IsOwnedByProcessTree(client, server, Environment.ProcessId));
    }

    [Fact]
    public async Task IsOwnedByProcessTree_OnDualModeListenerWithIPv4Client_FindsTheSocket()
    {
        using var dual = new Socket(AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp) { DualMode = true };
        dual.Bind(new IPEndPoint(IPAddress.IPv6Any, 0));
        dual.Listen();
        var port = ((IPEndPoint)dual.LocalEndPoint!).Port;
        var root = ConnectFromPython("127.0.0.1", port);
        using var accepted = await dual.AcceptAsync();
        await TestProcesses.ReadLineAsync(root);

        var (client, server) = Endpoints(accepted);

        Assert.True(client.Address.IsIPv4MappedToIPv6, $"the server should see a mapped address, saw {client.Address}");
        Assert.True(SocketOwner.IsOwnedByProcessTree(client, server, root.Id));
    }

    [Fact]
    public async Task IsOwnedByProcessTree_AfterTheClientClosed_ReturnsFalse()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var connection = new TcpClient(AddressFamily.InterNetwork);
        await connection.ConnectAsync((IPEndPoint)listener.LocalEndpoint);
        using var accepted = await AcceptAsync(listener);
        var (client, server) = Endpoints(accepted);
        Assert.True(SocketOwner.IsOwnedByProcessTree(client, server, Environment.ProcessId));

        connection.Dispose();

        Assert.False(SocketOwner.IsOwnedByProcessTree(client, server, Environment.ProcessId));
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    public async Task FindClientSocketInode_NetlinkLookupAndProcTablesAgree(string loopback)
    {
        using var listener = new TcpListener(IPAddress.Parse(loopback), 0);
        listener.Start();
        using var connection = new TcpClient(listener.LocalEndpoint.AddressFamily);
        await connection.ConnectAsync((IPEndPoint)listener.LocalEndpoint);
        using var accepted = await AcceptAsync(listener);
        var (client, server) = Endpoints(accepted);

        var viaNetlink = SocketOwner.FindClientSocketInode(client, server);
        var viaProc = SocketOwner.FindClientSocketInodeInProcTables(client.Address, client.Port, server.Address, server.Port);

        Assert.NotEqual(0UL, viaNetlink);
        Assert.Equal(viaProc, viaNetlink);
        // The server's own end of the connection is a different socket.
        Assert.NotEqual(viaNetlink, SocketOwner.FindClientSocketInode(server, client));
    }

    private Process ConnectFromPython(string host, int port)
    {
        // Background job under a shell, so the connecting process is a descendant of the root and not the root itself.
        var family = host.Contains(':') ? "AF_INET6" : "AF_INET";
        return _processes.Shell(
            $"python3 -c \"import os, socket, time; s = socket.socket(socket.{family}); s.connect(('{host}', {port})); " +
            "print(os.getpid(), flush=True); time.sleep(30)\" & wait");
    }

    private static async Task<Socket> AcceptAsync(TcpListener listener)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        return await listener.AcceptSocketAsync(timeout.Token);
    }

    private static (IPEndPoint Client, IPEndPoint Server) Endpoints(Socket accepted) =>
        ((IPEndPoint)accepted.RemoteEndPoint!, (IPEndPoint)accepted.LocalEndPoint!);
}
