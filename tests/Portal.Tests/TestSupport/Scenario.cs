namespace ModelWatch.Portal.Tests.TestSupport;

/// <summary>A team of its own with a key and a model, so tests sharing a portal never see each other's rows.</summary>
public sealed record Scenario(string Team, string Model, string KeyId, string Key)
{
    public static string NewId(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];

    public static async Task<Scenario> CreateAsync(PortalFactory portal, string task = "binary-classification")
    {
        using var admin = portal.Admin();
        var team = NewId("team");
        var model = NewId("model");
        await admin.CreateTeamAsync(team);
        var (keyId, key) = await admin.CreateKeyAsync(team);
        await admin.CreateModelAsync(model, team, task);
        return new Scenario(team, model, keyId, key);
    }

    public string Predictions => $"/api/v1/models/{Model}/predictions";
    public string Labels => $"/api/v1/models/{Model}/labels";
    public string Metrics => $"/api/v1/models/{Model}/metrics";
}
