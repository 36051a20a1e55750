using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing;
using ModelWatch.Portal.Tests.TestSupport;
using static ModelWatch.Portal.Tests.TestSupport.PortalApi;

namespace ModelWatch.Portal.Tests.Api;

/// <summary>
/// The OpenAPI document against the endpoints the portal really maps: every /api/v1 route is there with its method,
/// its real success code, its request body and its problem responses, and the API-key schemes are declared.
/// </summary>
public sealed class OpenApiDocumentTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    private async Task<JsonElement> DocumentAsync()
    {
        using var anonymous = portal.WithKey(null);
        return await Expect(HttpStatusCode.OK, await anonymous.GetAsync("/openapi/v1.json"));
    }

    /// <summary>"POST /api/v1/alias-requests/{rid}" for every mapped /api/v1 route (constraints dropped, as OpenAPI writes paths).</summary>
    private SortedSet<string> MappedOperations()
    {
        var operations = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var endpoint in portal.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var pattern = "/" + (endpoint.RoutePattern.RawText ?? "").TrimStart('/');
            if (!pattern.StartsWith("/api/v1/", StringComparison.Ordinal)) continue;
            var path = Regex.Replace(pattern, @"\{(\w+):[^}]+\}", "{$1}");
            foreach (var method in endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? [])
                operations.Add($"{method} {path}");
        }
        return operations;
    }

    private static SortedSet<string> DocumentedOperations(JsonElement document)
    {
        var operations = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var path in document.GetProperty("paths").EnumerateObject())
            foreach (var operation in path.Value.EnumerateObject())
                operations.Add($"{operation.Name.ToUpperInvariant()} {path.Name}");
        return operations;
    }

    private static JsonElement Operation(JsonElement document, string operation)
    {
        var (method, path) = (operation[..operation.IndexOf(' ')], operation[(operation.IndexOf(' ') + 1)..]);
        return document.GetProperty("paths").GetProperty(path).GetProperty(method.ToLowerInvariant());
    }

    private static IEnumerable<string> Codes(JsonElement operation) => operation.GetProperty("responses").EnumerateObject().Select(r => r.Name);

    [Fact]
    public async Task Every_mapped_route_is_documented_and_nothing_else()
    {
        var document = await DocumentAsync();

        Assert.Equal(MappedOperations(), DocumentedOperations(document));
    }

    [Fact]
    public async Task Every_operation_has_a_success_code_and_problem_responses_for_a_missing_key_and_a_bad_body()
    {
        var document = await DocumentAsync();

        foreach (var name in MappedOperations())
        {
            var operation = Operation(document, name);
            var codes = Codes(operation).ToList();
            Assert.True(codes.Any(c => c.StartsWith('2')), $"{name} declares no success code");
            Assert.True(codes.Contains("401"), $"{name} does not declare 401");
            var unauthorised = operation.GetProperty("responses").GetProperty("401");
            Assert.True(unauthorised.GetProperty("content").TryGetProperty("application/problem+json", out _), $"{name}: 401 is not a problem response");
            if (name.Contains("{id}")) Assert.True(codes.Contains("404"), $"{name} does not declare 404");
            if (name.StartsWith("POST ") || name.StartsWith("PUT "))
            {
                Assert.True(operation.TryGetProperty("requestBody", out var body), $"{name} declares no request body");
                Assert.True(body.GetProperty("content").TryGetProperty("application/json", out _), $"{name}: the body is not application/json");
                Assert.True(codes.Contains("400") && codes.Contains("415"), $"{name} does not declare 400 and 415 for a bad body");
            }
        }
    }

    [Theory]
    [InlineData("POST /api/v1/models/{id}/predictions", "202")]
    [InlineData("POST /api/v1/models/{id}/labels", "202")]
    [InlineData("POST /api/v1/models/{id}/metrics", "202")]
    [InlineData("POST /api/v1/models/{id}/versions/{version}/reference", "201")]
    [InlineData("POST /api/v1/models", "201")]
    [InlineData("POST /api/v1/teams", "201")]
    public async Task Writes_declare_the_code_they_really_answer(string name, string code)
    {
        var document = await DocumentAsync();

        var codes = Codes(Operation(document, name)).ToList();

        Assert.Contains(code, codes);
        Assert.DoesNotContain("200", codes);
    }

    [Fact]
    public async Task Ingestion_declares_its_event_shape_and_backpressure()
    {
        var document = await DocumentAsync();
        var operation = Operation(document, "POST /api/v1/models/{id}/predictions");

        Assert.Contains("429", Codes(operation));
        Assert.Contains("503", Codes(operation));
        Assert.Contains("413", Codes(operation));
        var schema = operation.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema");
        var resolved = Resolve(document, schema);
        Assert.True(resolved.GetProperty("properties").TryGetProperty("events", out _), "the predictions body has no 'events'");
    }

    [Fact]
    public async Task The_API_key_schemes_are_declared_and_required()
    {
        var document = await DocumentAsync();

        var schemes = document.GetProperty("components").GetProperty("securitySchemes");
        var apiKey = schemes.GetProperty("ApiKey");
        Assert.Equal("apiKey", apiKey.GetProperty("type").GetString());
        Assert.Equal("header", apiKey.GetProperty("in").GetString());
        Assert.Equal("X-Api-Key", apiKey.GetProperty("name").GetString());
        Assert.Equal("bearer", schemes.GetProperty("Bearer").GetProperty("scheme").GetString());
        var required = document.GetProperty("security").EnumerateArray().SelectMany(r => r.EnumerateObject().Select(p => p.Name)).ToList();
        Assert.Equal(["ApiKey", "Bearer"], required);
    }

    [Theory]
    [InlineData("GET /api/v1/audit")]
    [InlineData("GET /api/v1/audit/export")]
    public async Task The_audit_filters_are_documented(string name)
    {
        var document = await DocumentAsync();

        var parameters = Operation(document, name).GetProperty("parameters").EnumerateArray()
            .Where(p => p.GetProperty("in").GetString() == "query").Select(p => p.GetProperty("name").GetString()).ToHashSet();

        foreach (var filter in new[] { "team", "model", "actor", "action", "from", "to" }) Assert.Contains(filter, parameters);
    }

    private static JsonElement Resolve(JsonElement document, JsonElement schema)
    {
        if (!schema.TryGetProperty("$ref", out var reference)) return schema;
        var name = reference.GetString()!.Split('/')[^1];
        return document.GetProperty("components").GetProperty("schemas").GetProperty(name);
    }
}
