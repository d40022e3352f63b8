using Microsoft.AspNetCore.Http;
using Nimbus.Core.Security;

namespace Nimbus.Server.Security;

/// <summary>The principal that authenticated the current request, kept on the request itself.</summary>
public static class CallerPrincipal
{
    private static readonly object Key = new();

    public static Principal? Get(HttpContext context) =>
        context.Items.TryGetValue(Key, out var value) ? value as Principal : null;

    public static void Set(HttpContext context, Principal principal) => context.Items[Key] = principal;
}
