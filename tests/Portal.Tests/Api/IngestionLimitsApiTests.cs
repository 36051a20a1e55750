using System.Net;
using System.Net.Http.Headers;
using System.Text;
using ModelWatch.Portal.Tests.TestSupport;
using static ModelWatch.Portal.Tests.TestSupport.PortalApi;

namespace ModelWatch.Portal.Tests.Api;

/// <summary>A portal with small limits, configured the way an operator would: Portal:Ingestion in configuration.</summary>
public sealed class SmallLimitsPortal : PortalFactory
{
    public const int MaxEvents = 3;
    public const int MaxBodyBytes = 2048;

    public SmallLimitsPortal() : base(new Dictionary<string, string?>
    {
        ["Portal:Ingestion:MaxEventsPerBatch"] = MaxEvents.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Portal:Ingestion:MaxBodyBytes"] = MaxBodyBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
    })
    { }
}

public sealed class IngestionLimitsApiTests(SmallLimitsPortal portal) : IClassFixture<SmallLimitsPortal>
{
    [Fact]
    public async Task The_configured_number_of_events_is_accepted()
    {
        var scenario = await Scenario.CreateAsync(portal);
        using var client = portal.WithKey(scenario.Key);

        await Expect(HttpStatusCode.Accepted, await client.PostAsync(scenario.Predictions, Many(SmallLimitsPortal.MaxEvents)));
    }

    [Fact]
    public async Task More_events_than_the_configured_limit_are_refused_and_nothing_is_stored()
    {
        var scenario = await Scenario.CreateAsync(portal);
        using var client = portal.WithKey(scenario.Key);
        var before = portal.Rows(scenario.Model);

        var problem = await ExpectProblem(HttpStatusCode.BadRequest, await client.PostAsync(scenario.Predictions, Many(SmallLimitsPortal.MaxEvents + 1)));

        Assert.Equal([(-1, "events")], Errors(problem));
        Assert.Contains($"at most {SmallLimitsPortal.MaxEvents}", problem.GetProperty("detail").GetString());
        Assert.Equal(before, portal.Rows(scenario.Model));
    }

    [Fact]
    public async Task More_labels_than_the_configured_limit_are_refused()
    {
        var scenario = await Scenario.CreateAsync(portal);
        using var client = portal.WithKey(scenario.Key);
        var labels = string.Join(", ", Enumerable.Range(0, SmallLimitsPortal.MaxEvents + 1).Select(i => $$"""{ "predictionId": "p-{{i}}", "label": 1 }"""));

        var problem = await ExpectProblem(HttpStatusCode.BadRequest, await client.PostAsync(scenario.Labels, $$"""{ "labels": [ {{labels}} ] }"""));

        Assert.Equal([(-1, "labels")], Errors(problem));
        Assert.Equal(0, portal.Rows(scenario.Model).Labels);
    }

    private static string Oversized() => Batch(Prediction("big", features: $$"""{ "amount": 1, "country": "DE", "note": "{{new string('x', SmallLimitsPortal.MaxBodyBytes)}}" }"""));

    [Fact]
    public async Task A_body_over_the_configured_size_gets_413_and_nothing_is_stored()
    {
        var scenario = await Scenario.CreateAsync(portal);
        using var client = portal.WithKey(scenario.Key);
        var before = portal.Rows(scenario.Model);

        var problem = await ExpectProblem(HttpStatusCode.RequestEntityTooLarge, await client.PostAsync(scenario.Predictions, Oversized()));

        Assert.Contains($"{SmallLimitsPortal.MaxBodyBytes} bytes", problem.GetProperty("detail").GetString());
        Assert.Equal(before, portal.Rows(scenario.Model));
    }

    [Fact]
    public async Task A_chunked_body_without_a_length_over_the_configured_size_gets_413()
    {
        var scenario = await Scenario.CreateAsync(portal);
        using var client = portal.WithKey(scenario.Key);
        var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(Oversized())));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var request = new HttpRequestMessage(HttpMethod.Post, scenario.Predictions) { Content = content };
        request.Headers.TransferEncodingChunked = true;

        await ExpectProblem(HttpStatusCode.RequestEntityTooLarge, await client.Http.SendAsync(request));

        Assert.Equal(0, portal.Rows(scenario.Model).Predictions);
    }

    [Theory]
    [InlineData("labels")]
    [InlineData("metrics")]
    [InlineData("versions/1.0.0/reference")]
    public async Task Other_ingestion_bodies_over_the_configured_size_get_413(string path)
    {
        var scenario = await Scenario.CreateAsync(portal);
        using var client = portal.WithKey(scenario.Key);

        await ExpectProblem(HttpStatusCode.RequestEntityTooLarge, await client.PostAsync($"/api/v1/models/{scenario.Model}/{path}", Oversized()));

        Assert.Equal(new StoredRows(0, 0, 0, 0, 0), portal.Rows(scenario.Model));
    }
}
