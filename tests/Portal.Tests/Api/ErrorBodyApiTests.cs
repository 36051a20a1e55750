using System.Net;
using System.Net.Http.Headers;
using ModelWatch.Portal.Tests.TestSupport;
using static ModelWatch.Portal.Tests.TestSupport.PortalApi;

namespace ModelWatch.Portal.Tests.Api;

public sealed class ErrorBodyApiTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    [Theory]
    [InlineData(null)]
    [InlineData("mwk_not-a-key")]
    public async Task A_401_carries_type_and_traceId_like_every_other_problem(string? key)
    {
        using var client = portal.WithKey(key);

        var problem = await ExpectProblem(HttpStatusCode.Unauthorized, await client.GetAsync("/api/v1/models"));

        Assert.StartsWith("https://", problem.GetProperty("type").GetString());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("traceId").GetString()));
    }

    [Fact]
    public async Task An_api_key_sent_as_a_bearer_token_authenticates_like_X_Api_Key()
    {
        var scenario = await Scenario.CreateAsync(portal);
        using var client = portal.WithKey(null);
        client.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", scenario.Key);

        await Expect(HttpStatusCode.OK, await client.GetAsync($"/api/v1/models/{scenario.Model}"));
        await Expect(HttpStatusCode.Accepted, await client.PostAsync(scenario.Predictions, Batch(Prediction("bearer-1"))));
    }

    [Fact]
    public async Task An_unknown_bearer_token_is_a_401()
    {
        using var client = portal.WithKey(null);
        client.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "mwk_revoked-or-made-up");

        await ExpectProblem(HttpStatusCode.Unauthorized, await client.GetAsync("/api/v1/models"));
    }
}
