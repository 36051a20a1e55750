using System.Globalization;
using System.Net;
using System.Text.Json;
using ModelWatch.Engine.Alerting;
using ModelWatch.Portal.Tests.TestSupport;

namespace ModelWatch.Portal.Tests.Alerting;

/// <summary>What the alerting API tests do again and again: send slow predictions, run a round of the real evaluator, dispatcher and outbox, wait for a condition.</summary>
public static class AlertingSteps
{
    public static string Prediction(string id, DateTimeOffset at, double latencyMs) =>
        $$"""{ "id": "{{id}}", "timestamp": "{{at.UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffZ}}", "version": "1.0.0", "features": { "amount": 120.5, "country": "DE" }, "prediction": 0.4, "latencyMs": {{latencyMs.ToString(CultureInfo.InvariantCulture)}}, "costUsd": 0.00002 }""";

    /// <summary>count predictions at the given time (now by default), each taking latencyMs.</summary>
    public static async Task SendAsync(PortalApi api, string model, int count, double latencyMs, DateTimeOffset? at = null)
    {
        var when = at ?? DateTimeOffset.UtcNow;
        var prefix = Guid.NewGuid().ToString("N")[..8];
        var events = Enumerable.Range(0, count).Select(i => Prediction($"{prefix}-{i}", when, latencyMs)).ToArray();
        await PortalApi.Expect(HttpStatusCode.Accepted, await api.PostAsync($"/api/v1/models/{model}/predictions", PortalApi.Batch(events)));
    }

    /// <summary>A rule on p95 latency over 5 minutes that fires at once above the threshold.</summary>
    public static string LatencyRule(string model, double threshold = 100, string name = "p95 over SLO") => $$$"""
        { "name": "{{{name}}}", "model": "{{{model}}}", "signal": "latency", "metric": "p95", "window": "5m",
          "condition": { "type": "threshold", "op": ">", "value": {{{threshold.ToString(CultureInfo.InvariantCulture)}}} },
          "for": "0s", "severity": "critical", "minSamples": 3, "labels": { "service": "payments" },
          "annotations": { "summary": "p95 {{value}} ms over {{threshold}}", "runbook": "https://runbooks.example.com/latency" } }
        """;

    /// <summary>One round of the real services, as the alerting loop runs them: evaluate, dispatch, deliver what is due.</summary>
    public static async Task RoundAsync(PortalFactory portal)
    {
        portal.Services.GetRequiredService<AlertEvaluator>().Evaluate();
        portal.Services.GetRequiredService<AlertDispatcher>().Dispatch();
        await portal.Services.GetRequiredService<AlertOutbox>().ProcessDueAsync(CancellationToken.None);
    }

    /// <summary>Runs rounds until the condition holds, or fails after the deadline.</summary>
    public static async Task UntilAsync(PortalFactory portal, Func<Task<bool>> condition, string what, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            await RoundAsync(portal);
            if (await condition()) return;
            Assert.True(DateTime.UtcNow < deadline, $"Timed out after {seconds} s waiting for {what}.");
            await Task.Delay(100);
        }
    }

    /// <summary>The firing alerts of a model as the API lists them.</summary>
    public static async Task<JsonElement[]> FiringAsync(PortalApi api, string model)
    {
        var list = await PortalApi.Expect(HttpStatusCode.OK, await api.GetAsync($"/api/v1/alerts?state=firing&model={model}"));
        return list.EnumerateArray().ToArray();
    }

    public static Task<HttpResponseMessage> PutAsync(PortalApi api, string path, string json) =>
        api.Http.PutAsync(path, new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
}
