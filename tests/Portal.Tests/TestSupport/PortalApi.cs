using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace ModelWatch.Portal.Tests.TestSupport;

/// <summary>A client of /api/v1 with one API key, sending JSON written as a sender would write it.</summary>
public sealed class PortalApi(HttpClient http) : IDisposable
{
    public const string Time = "2026-11-23T12:00:00Z";

    public HttpClient Http { get; } = http;

    public Task<HttpResponseMessage> PostAsync(string path, string json, string contentType = "application/json")
    {
        var content = new StringContent(json, Encoding.UTF8);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return Http.PostAsync(path, content);
    }

    /// <summary>Posts the JSON behind a UTF-8 byte order mark, as PowerShell's Out-File and Notepad write it.</summary>
    public Task<HttpResponseMessage> PostWithBomAsync(string path, string json)
    {
        var content = new ByteArrayContent([.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(json)]);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return Http.PostAsync(path, content);
    }

    public Task<HttpResponseMessage> GetAsync(string path) => Http.GetAsync(path);

    public Task<HttpResponseMessage> DeleteAsync(string path) => Http.DeleteAsync(path);

    public async Task CreateTeamAsync(string id) =>
        await Expect(HttpStatusCode.Created, await PostAsync("/api/v1/teams", $$"""{ "id": "{{id}}", "name": "Team {{id}}" }"""));

    /// <summary>Issues a team key; returns (key id, key).</summary>
    public async Task<(string Id, string Key)> CreateKeyAsync(string team, string name = "service")
    {
        var body = await Expect(HttpStatusCode.Created, await PostAsync($"/api/v1/teams/{team}/keys", $$"""{ "name": "{{name}}" }"""));
        return (body.GetProperty("id").GetString()!, body.GetProperty("key").GetString()!);
    }

    /// <summary>A model with amount (numerical 0..50000) and country (categorical DE/FR/US) and version 1.0.0.</summary>
    public async Task CreateModelAsync(string id, string team, string task = "binary-classification", string version = "1.0.0")
    {
        await Expect(HttpStatusCode.Created, await PostAsync("/api/v1/models", $$"""
            { "id": "{{id}}", "name": "Model {{id}}", "task": "{{task}}", "team": "{{team}}",
              "features": [ { "name": "amount", "type": "numerical", "min": 0, "max": 50000 },
                            { "name": "country", "type": "categorical", "categories": ["DE", "FR", "US"] } ] }
            """));
        await Expect(HttpStatusCode.Created, await PostAsync($"/api/v1/models/{id}/versions", $$"""{ "version": "{{version}}" }"""));
    }

    public static string Prediction(string id, string prediction = "0.83", string version = "1.0.0", string timestamp = Time, string features = """{ "amount": 120.5, "country": "DE" }""") =>
        $$"""{ "id": "{{id}}", "timestamp": "{{timestamp}}", "version": "{{version}}", "features": {{features}}, "prediction": {{prediction}}, "latencyMs": 12.4, "costUsd": 0.00002 }""";

    public static string Batch(params string[] events) => $$"""{ "events": [ {{string.Join(", ", events)}} ] }""";

    public static string Many(int count, string prefix = "p-") => Batch(Enumerable.Range(0, count).Select(i => Prediction(prefix + i)).ToArray());

    public static async Task<JsonElement> Expect(HttpStatusCode status, HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {(int)status} but got {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Asserts an RFC 7807 answer with the status; returns it for further checks.</summary>
    public static async Task<JsonElement> ExpectProblem(HttpStatusCode status, HttpResponseMessage response)
    {
        var problem = await Expect(status, response);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()));
        return problem;
    }

    /// <summary>The (index, field) pairs of a problem's errors array; index -1 when the error is not about one event.</summary>
    public static List<(int Index, string Field)> Errors(JsonElement problem) =>
        problem.GetProperty("errors").EnumerateArray()
            .Select(e => (e.GetProperty("index").ValueKind == JsonValueKind.Number ? e.GetProperty("index").GetInt32() : -1, e.GetProperty("field").GetString()!))
            .ToList();

    public void Dispose() => Http.Dispose();
}
