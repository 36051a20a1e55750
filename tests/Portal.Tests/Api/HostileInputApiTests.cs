using System.Net;
using System.Net.Http.Headers;
using System.Text;
using ModelWatch.Engine.Ingestion;
using ModelWatch.Portal.Tests.TestSupport;
using static ModelWatch.Portal.Tests.TestSupport.PortalApi;

namespace ModelWatch.Portal.Tests.Api;

/// <summary>Oversized strings, text that is not text and numbers that overflow: each a 400 naming the field, nothing stored.</summary>
public sealed class HostileInputApiTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    private static readonly string TooLong = new('x', StringCaps.MaxLength + 1);
    private static readonly string AtTheCap = new('y', StringCaps.MaxLength);

    public static TheoryData<string, string> OversizedStrings => new()
    {
        { Batch(Prediction(TooLong)), "id" },
        { Batch(Prediction("p-1", features: $$"""{ "amount": 1, "country": "{{TooLong}}" }""")), "features.country" },
        { Batch(Prediction("p-1", features: $$"""{ "amount": 1, "undeclared": "{{TooLong}}" }""")), "features.undeclared" },
    };

    [Theory]
    [MemberData(nameof(OversizedStrings))]
    public async Task A_string_over_256_characters_in_an_event_is_refused_naming_the_event_and_the_field(string body, string field)
    {
        var scenario = await Scenario.CreateAsync(portal);
        using var client = portal.WithKey(scenario.Key);
        var before = portal.Rows(scenario.Model);

        var problem = await ExpectProblem(HttpStatusCode.BadRequest, await client.PostAsync(scenario.Predictions, body));

        Assert.Equal([(0, field)], Errors(problem));
        Assert.Contains("256", problem.GetProperty("errors")[0].GetProperty("reason").GetString());
        Assert.Equal(before, portal.Rows(scenario.Model));
    }

    [Fact]
    public async Task Strings_of_exactly_256_characters_are_stored()
    {
        var scenario = await Scenario.CreateAsync(portal);
        using var client = portal.WithKey(scenario.Key);

        await Expect(HttpStatusCode.Accepted, await client.PostAsync(scenario.Predictions,
            Batch(Prediction(AtTheCap, features: $$"""{ "amount": 1, "country": "{{AtTheCap}}" }"""))));

        Assert.Equal(1, portal.Rows(scenario.Model).Predictions);
    }

    [Fact]
    public async Task A_class_name_or_label_over_256_characters_is_refused()
    {
        var scenario = await Scenario.CreateAsync(portal, task: "multiclass-classification");
        using var client = portal.WithKey(scenario.Key);

        var prediction = await ExpectProblem(HttpStatusCode.BadRequest, await client.PostAsync(scenario.Predictions, Batch(Prediction("p-1", prediction: $"\"{TooLong}\""))));
        var label = await ExpectProblem(HttpStatusCode.BadRequest, await client.PostAsync(scenario.Labels, $$"""{ "labels": [ { "predictionId": "p-1", "label": "{{TooLong}}" } ] }"""));
        var labelId = await ExpectProblem(HttpStatusCode.BadRequest, await client.PostAsync(scenario.Labels, $$"""{ "labels": [ { "predictionId": "{{TooLong}}", "label": "a" } ] }"""));

        Assert.Equal([(0, "prediction")], Errors(prediction));
        Assert.Equal([(0, "label")], Errors(label));
        Assert.Equal([(0, "predictionId")], Errors(labelId));
        Assert.Equal(0, portal.Rows(scenario.Model).Predictions + portal.Rows(scenario.Model).Labels);
    }

    [Fact]
    public async Task A_declared_category_over_256_characters_is_refused_at_registration()
    {
        using var admin = portal.Admin();
        var team = Scenario.NewId("team");
        await admin.CreateTeamAsync(team);

        var problem = await ExpectProblem(HttpStatusCode.BadRequest, await admin.PostAsync("/api/v1/models", $$"""
            { "id": "{{Scenario.NewId("m")}}", "name": "M", "task": "binary-classification", "team": "{{team}}",
              "features": [ { "name": "country", "type": "categorical", "categories": ["{{TooLong}}"] } ] }
            """));

        Assert.Contains(Errors(problem), e => e.Field == "features[0].categories");
    }

    [Theory]
    [InlineData("""\ud800""")]
    [InlineData("""\udc00x""")]
    public async Task A_lone_surrogate_escape_in_an_event_string_is_a_400_not_a_500(string escaped)
    {
        var scenario = await Scenario.CreateAsync(portal);
        using var client = portal.WithKey(scenario.Key);

        var asId = await ExpectProblem(HttpStatusCode.BadRequest, await client.PostAsync(scenario.Predictions, Batch(Prediction("p-" + escaped))));
        var asCategory = await ExpectProblem(HttpStatusCode.BadRequest, await client.PostAsync(scenario.Predictions,
            Batch(Prediction("p-2", features: $$"""{ "amount": 1, "country": "{{escaped}}" }"""))));
        var asName = await ExpectProblem(HttpStatusCode.BadRequest, await client.PostAsync(scenario.Predictions,
            Batch(Prediction("p-3", features: $$"""{ "{{escaped}}": 1 }"""))));

        foreach (var problem in new[] { asId, asCategory, asName })
            Assert.Contains("surrogate", problem.GetProperty("detail").GetString());
        Assert.Equal(0, portal.Rows(scenario.Model).Predictions);
    }

    [Fact]
    public async Task Invalid_utf8_in_an_event_string_is_a_400_not_a_500()
    {
        var scenario = await Scenario.CreateAsync(portal);
        using var client = portal.WithKey(scenario.Key);
        var json = Encoding.UTF8.GetBytes(Batch(Prediction("p-MARK")));
        var mark = Encoding.UTF8.GetBytes("MARK");
        var at = json.AsSpan().IndexOf(mark);
        json[at] = 0xC3; json[at + 1] = 0x28; // a two-byte sequence with a bad continuation byte
        var content = new ByteArrayContent(json);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        var problem = await ExpectProblem(HttpStatusCode.BadRequest, await client.Http.PostAsync(scenario.Predictions, content));

        Assert.Contains("UTF-8", problem.GetProperty("detail").GetString());
        Assert.Equal(0, portal.Rows(scenario.Model).Predictions);
    }

    [Fact]
    public async Task A_lone_surrogate_in_a_governance_body_is_a_400_not_a_500()
    {
        var scenario = await Scenario.CreateAsync(portal);
        using var api = portal.WithKey(scenario.Key);

        var response = await api.Http.PutAsync($"/api/v1/models/{scenario.Model}/limits",
            new StringContent("""{ "monthlyBudgetUsd": 10, "reason": "\ud800" }""", Encoding.UTF8, "application/json"));

        await ExpectProblem(HttpStatusCode.BadRequest, response);
        Assert.Equal(0, portal.Scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'model.limits-changed' AND subject_model = @m", new { m = scenario.Model }));
    }

    [Theory]
    [InlineData("""{ "monthlyBudgetUsd": 1e400, "reason": "overflow" }""", "monthlyBudgetUsd")]
    [InlineData("""{ "latencySloMs": 1e400, "reason": "overflow" }""", "latencySloMs")]
    public async Task A_limit_that_overflows_a_double_is_a_400_naming_the_field_and_nothing_is_audited(string body, string field)
    {
        var scenario = await Scenario.CreateAsync(portal);
        using var api = portal.WithKey(scenario.Key);

        var problem = await ExpectProblem(HttpStatusCode.BadRequest,
            await api.Http.PutAsync($"/api/v1/models/{scenario.Model}/limits", new StringContent(body, Encoding.UTF8, "application/json")));

        Assert.Contains(Errors(problem), e => e.Field == field);
        Assert.Equal(0, portal.Scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'model.limits-changed' AND subject_model = @m", new { m = scenario.Model }));
    }
}
