using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Nimbus.Core.Security;
using Nimbus.Functional.Tests.Infrastructure;
using Nimbus.Server.Security;

namespace Nimbus.Functional.Tests.Security;

/// <summary>Walks every endpoint the app maps: none answers a caller without credentials, none lets a role past what it lacks.</summary>
public sealed class EndpointAuthorizationTests : IClassFixture<SharedServer>
{
    private readonly NimbusTestServer _nimbus;

    public EndpointAuthorizationTests(SharedServer shared) => _nimbus = shared.Nimbus;

    private sealed record Walked(string Method, string Template, string Url, RouteRequirement Requirement);

    private List<Walked> Endpoints()
    {
        var walked = new List<Walked>();
        foreach (var endpoint in _nimbus.Server.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var template = "/" + endpoint.RoutePattern.RawText!.TrimStart('/');
            var requirement = EndpointRequirements.Of(endpoint);
            if (requirement.IsPublic)
            {
                continue;
            }

            var url = string.Join('/', template.Split('/').Select(segment => segment.StartsWith('{') ? segment.Contains("name") ? "walk-fn" : "x1" : segment));
            var method = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods is { Count: > 0 } methods ? methods[0] : "PATCH";
            walked.Add(new Walked(method, template, url, requirement));
        }

        return walked;
    }

    [Fact]
    public void EveryEndpoint_IsListedInThePermissionTableOrDeclaresItsRequirement()
    {
        var all = _nimbus.Server.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();
        Assert.True(all.Count > 40, $"expected the whole API, found {all.Count} endpoints");
        var unlisted = all
            .Where(e => e.Metadata.GetMetadata<RouteRequirement>() is null && e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods is { Count: > 0 })
            .Select(e => $"{e.Metadata.GetMetadata<IHttpMethodMetadata>()!.HttpMethods[0]} /{e.RoutePattern.RawText!.TrimStart('/')}")
            .Where(key => !ApiPermissions.IsListed(key.Split(' ')[0], key.Split(' ')[1]))
            .ToList();

        Assert.True(unlisted.Count == 0, "routes missing from ApiPermissions (they would be admin-only): " + string.Join(", ", unlisted));
    }

    [Fact]
    public async Task EveryEndpoint_WithoutCredentials_Is401WithWwwAuthenticate()
    {
        using var anonymous = _nimbus.AnonymousClient();
        var failures = new List<string>();
        foreach (var endpoint in Endpoints())
        {
            using var request = new HttpRequestMessage(new HttpMethod(endpoint.Method), endpoint.Url) { Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json") };
            using var response = await anonymous.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            if (endpoint.Template.StartsWith("/2015-03-31", StringComparison.Ordinal))
            {
                // Lambda's API answers as AWS does, so SDKs report it as they would against AWS.
                if (response.StatusCode != HttpStatusCode.Forbidden || !response.Headers.TryGetValues("x-amzn-ErrorType", out var type) || type.Single() != "MissingAuthenticationTokenException")
                {
                    failures.Add($"{endpoint.Method} {endpoint.Url}: {(int)response.StatusCode} {body}");
                }

                continue;
            }

            if (response.StatusCode != HttpStatusCode.Unauthorized || response.Headers.WwwAuthenticate.Count == 0
                || response.Content.Headers.ContentType?.MediaType != "application/problem+json")
            {
                failures.Add($"{endpoint.Method} {endpoint.Url}: {(int)response.StatusCode} {body}");
            }
        }

        Assert.True(failures.Count == 0, "endpoints that did not refuse an anonymous caller with 401:\n" + string.Join("\n", failures));
    }

    [Fact]
    public async Task EveryEndpoint_ARoleLacks_Is403NamingTheMissingPermission()
    {
        var failures = new List<string>();
        var checkedCount = 0;
        foreach (var role in new[] { Roles.Viewer, Roles.Invoker, Roles.Operator, Roles.Deployer })
        {
            var created = await _nimbus.CreateIdentityAsync(role);
            using var client = _nimbus.ClientWithToken(created.Token!);
            foreach (var endpoint in Endpoints().Where(e => e.Requirement.Permission is { } p && !Roles.Grants(role, p)))
            {
                checkedCount++;
                using var request = new HttpRequestMessage(new HttpMethod(endpoint.Method), endpoint.Url) { Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json") };
                using var response = await client.SendAsync(request);
                var body = await response.Content.ReadAsStringAsync();
                if (response.StatusCode != HttpStatusCode.Forbidden || !body.Contains(endpoint.Requirement.Permission!, StringComparison.Ordinal))
                {
                    failures.Add($"{role}: {endpoint.Method} {endpoint.Url}: {(int)response.StatusCode} {body}");
                }
            }
        }

        Assert.True(checkedCount > 50, $"only {checkedCount} role/endpoint pairs were checked");
        Assert.True(failures.Count == 0, "endpoints that let a role past a permission it lacks:\n" + string.Join("\n", failures));
    }

    [Fact]
    public async Task Viewer_CannotDeploy_ButCanList()
    {
        var viewer = await _nimbus.CreateIdentityAsync(Roles.Viewer);
        using var client = _nimbus.ClientWithToken(viewer.Token!);

        using var put = await client.PutAsync("/api/v1/functions/viewer-deploy",
            new StringContent("""{"runtime":"node","handler":"index.handler"}""", System.Text.Encoding.UTF8, "application/json"));
        var problem = JsonDocument.Parse(await put.Content.ReadAsStringAsync()).RootElement;
        using var list = await client.GetAsync("/api/v1/functions");

        Assert.Equal(HttpStatusCode.Forbidden, put.StatusCode);
        Assert.Equal(Permissions.Deploy, problem.GetProperty("permission").GetString());
        Assert.Contains("role 'viewer' lacks the permission 'function:deploy'", problem.GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _nimbus.Client.GetAsync("/api/v1/functions/viewer-deploy")).StatusCode);
    }

    [Fact]
    public async Task Health_IsPublic() =>
        Assert.Equal(HttpStatusCode.OK, (await _nimbus.AnonymousClient().GetAsync("/api/v1/health")).StatusCode);

    [Fact]
    public async Task ScopedToken_ReachesOnlyItsFunctions()
    {
        var scoped = await _nimbus.CreateIdentityAsync(Roles.Deployer, "scoped-*");
        using var client = _nimbus.ClientWithToken(scoped.Token!);
        var config = """{"runtime":"node","handler":"index.handler"}""";

        using var own = await client.PutAsync("/api/v1/functions/scoped-one", new StringContent(config, System.Text.Encoding.UTF8, "application/json"));
        using var other = await client.PutAsync("/api/v1/functions/unscoped-one", new StringContent(config, System.Text.Encoding.UTF8, "application/json"));
        using var list = await client.GetAsync("/api/v1/functions");

        Assert.True(own.IsSuccessStatusCode, $"own function: {(int)own.StatusCode}");
        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
        Assert.Contains("'scoped-*', which does not include 'unscoped-one'", await other.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Forbidden, list.StatusCode);
    }
}
