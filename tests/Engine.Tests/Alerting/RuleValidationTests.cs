using System.Text.Json;
using ModelWatch.Engine.Alerting;

namespace ModelWatch.Engine.Tests.Alerting;

public sealed class RuleValidationTests : IDisposable
{
    private readonly AlertingHarness _h = new();

    public RuleValidationTests() => _h.Model();

    private IReadOnlyList<FieldError> Errors(string json)
    {
        var spec = JsonSerializer.Deserialize<AlertRuleSpec>(json, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
        var outcome = RuleValidation.Validate("r", spec, _h.Registry);
        Assert.False(outcome.IsOk);
        return outcome.Errors;
    }

    [Theory]
    [InlineData("""{ "name": "x", "model": "fraud-detector", "signal": "latncy", "condition": { "type": "threshold", "op": ">", "value": 1 } }""", "signal")]
    [InlineData("""{ "name": "x", "model": "fraud-detector", "signal": "latency", "metric": "p42", "condition": { "type": "threshold", "op": ">", "value": 1 } }""", "metric")]
    [InlineData("""{ "name": "x", "model": "fraud-detector", "signal": "featureDrift", "feature": "height", "condition": { "type": "threshold", "op": ">", "value": 1 } }""", "feature")]
    [InlineData("""{ "name": "x", "model": "fraud-detector", "signal": "latency", "for": "2 minutes", "condition": { "type": "threshold", "op": ">", "value": 1 } }""", "for")]
    [InlineData("""{ "name": "x", "model": "fraud-detector", "signal": "latency", "keepFiringFor": "9d", "condition": { "type": "threshold", "op": ">", "value": 1 } }""", "keepFiringFor")]
    [InlineData("""{ "name": "x", "model": "fraud-detector", "signal": "latency", "condition": { "type": "threshold", "op": ">", "value": "80" } }""", "condition.value")]
    [InlineData("""{ "name": "x", "model": "fraud-detector", "signal": "latency", "condition": { "type": "threshold", "op": "=>", "value": 80 } }""", "condition.op")]
    [InlineData("""{ "name": "x", "model": "fraud-detector", "signal": "latency", "window": "3m", "condition": { "type": "threshold", "op": ">", "value": 80 } }""", "window")]
    [InlineData("""{ "name": "x", "model": "nope", "signal": "latency", "condition": { "type": "threshold", "op": ">", "value": 80 } }""", "model")]
    [InlineData("""{ "name": "x", "model": "fraud-detector", "signal": "performance", "metric": "rmse", "condition": { "type": "threshold", "op": ">", "value": 80 } }""", "metric")]
    [InlineData("""{ "name": "x", "model": "fraud-detector", "signal": "latency", "condition": { "type": "band", "k": 0 } }""", "condition.k")]
    [InlineData("""{ "name": "x", "model": "fraud-detector", "signal": "latency", "condition": { "type": "threshold", "op": ">", "value": 1, "minFailing": 4, "ofLast": 3 } }""", "condition.minFailing")]
    [InlineData("""{ "name": "x", "model": "fraud-detector", "signal": "latency", "labels": { "model": "other" }, "condition": { "type": "threshold", "op": ">", "value": 1 } }""", "labels.model")]
    [InlineData("""{ "name": "x", "model": "fraud-detector", "team": "payments-risk", "signal": "latency", "condition": { "type": "threshold", "op": ">", "value": 1 } }""", "model")]
    public void A_bad_rule_is_refused_naming_the_field(string json, string field) =>
        Assert.Contains(Errors(json), e => e.Field == field);

    [Fact]
    public void A_threshold_given_as_text_says_what_it_got()
    {
        var error = Errors("""{ "name": "x", "model": "fraud-detector", "signal": "latency", "condition": { "type": "threshold", "op": ">", "value": "80" } }""").Single();
        Assert.Contains("the string \"80\"", error.Reason);
    }

    [Fact]
    public void Defaults_fill_in_what_the_rule_leaves_out()
    {
        var rule = _h.Rule("""{ "name": "p95", "model": "fraud-detector", "signal": "latency", "condition": { "type": "threshold", "op": ">", "value": 80 } }""");
        Assert.Equal("p95", rule.Metric);
        Assert.Equal(100, rule.MinSamples);
        Assert.Equal("warning", rule.Severity);
        Assert.Equal(TimeSpan.Zero, rule.For);
        Assert.Equal((1, 1), (rule.Condition.MinFailing, rule.Condition.OfLast));
    }

    [Theory]
    [InlineData("30s", 30)]
    [InlineData("1h30m", 5400)]
    [InlineData("0", 0)]
    [InlineData("2d", 172800)]
    public void Durations_read_as_Prometheus_writes_them(string text, int seconds)
    {
        Assert.True(Durations.TryParse(text, out var value));
        Assert.Equal(TimeSpan.FromSeconds(seconds), value);
    }

    public void Dispose() => _h.Dispose();
}
