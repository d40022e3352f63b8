using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Nimbus.Bench;

/// <summary>
/// The floor Nimbus is compared against: Kestrel answering <c>POST /echo</c> with the request body, no routing
/// table, no logging. It runs in its own process (the <c>baseline-server</c> verb) so that it shares the CPU the
/// way the Nimbus server does.
/// </summary>
public static class BaselineServer
{
    public const string Path = "/echo";

    public static async Task<int> RunAsync(int port, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(System.Net.IPAddress.Loopback, port));
        await using var app = builder.Build();
        app.Run(async context =>
        {
            if (context.Request.Path != Path)
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }
            var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body, context.RequestAborted);
            context.Response.ContentType = "application/json";
            context.Response.ContentLength = body.Length;
            await context.Response.Body.WriteAsync(body.GetBuffer().AsMemory(0, (int)body.Length), context.RequestAborted);
        });
        await app.StartAsync(cancellationToken);
        // The parent reads this line to know the server is listening.
        Console.WriteLine("listening");
        // The parent stops us by closing our stdin (or killing us).
        await Task.Run(() => Console.In.ReadToEnd(), cancellationToken);
        await app.StopAsync(CancellationToken.None);
        return 0;
    }
}
