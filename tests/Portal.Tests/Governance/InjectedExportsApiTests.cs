using System.IO.Compression;
using System.Net;
using System.Text;
using ModelWatch.Portal.Tests.TestSupport;
using static ModelWatch.Portal.Tests.TestSupport.PortalApi;

namespace ModelWatch.Portal.Tests.Governance;

/// <summary>Text a user typed (reasons, contacts, names) reaches exports inert: no HTML or links in Markdown, no formulas in CSV.</summary>
public sealed class InjectedExportsApiTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    private const string Html = "<img src=x onerror=alert(1)>";
    private const string Link = "[PHISH](http://evil.example)";
    private const string Formula = "=HYPERLINK(\"http://evil.example\",\"click\")";

    [Fact]
    public async Task The_model_card_markdown_escapes_html_and_markdown_typed_by_users()
    {
        var s = await Scenario.CreateAsync(portal);
        using var admin = portal.Admin();
        await Expect(HttpStatusCode.OK, await admin.Http.PutAsync($"/api/v1/models/{s.Model}/owner", new StringContent(
            $$"""{ "team": "{{s.Team}}", "reason": "{{Html}} {{Link}}", "onCall": "{{Html}}", "escalation": "{{Link}}" }""", Encoding.UTF8, "application/json")));
        using var key = portal.WithKey(s.Key);
        await Expect(HttpStatusCode.Created, await key.PostAsync($"/api/v1/models/{s.Model}/aliases/production/requests", $$"""{ "version": "1.0.0", "reason": "{{Html}}" }"""));

        var markdown = await ReadAsync(key, s.Model, "model-card.md");

        Assert.DoesNotContain("<img", markdown);
        Assert.DoesNotMatch(@"(?<!\\)\]\(http", markdown); // a link needs an unescaped "](http"
        Assert.Contains("&lt;img src=x onerror=alert(1)&gt;", markdown);
        Assert.Contains(@"\[PHISH\](http://evil.example)", markdown);
    }

    [Fact]
    public async Task The_evidence_packs_audit_trail_neutralises_formulas()
    {
        var s = await Scenario.CreateAsync(portal);
        using var key = portal.WithKey(s.Key);
        await Expect(HttpStatusCode.Created, await key.PostAsync($"/api/v1/models/{s.Model}/aliases/production/requests", $$"""{ "version": "1.0.0", "reason": {{System.Text.Json.JsonSerializer.Serialize(Formula)}} }"""));

        var csv = await ReadAsync(key, s.Model, "audit-trail.csv");

        Assert.DoesNotContain(",\"=HYPERLINK", csv);
        Assert.DoesNotContain(",=HYPERLINK", csv);
        Assert.Contains("'=HYPERLINK", csv);
    }

    [Fact]
    public async Task The_audit_export_neutralises_formulas()
    {
        var s = await Scenario.CreateAsync(portal);
        using var key = portal.WithKey(s.Key);
        await Expect(HttpStatusCode.Created, await key.PostAsync($"/api/v1/models/{s.Model}/aliases/production/requests", """{ "version": "1.0.0", "reason": "@SUM(1+1)*cmd|' /C calc'!A0" }"""));
        using var admin = portal.Admin();

        var csv = await (await admin.GetAsync($"/api/v1/audit/export?format=csv&model={s.Model}")).Content.ReadAsStringAsync();

        Assert.Contains("'@SUM(1+1)", csv);
        Assert.DoesNotContain(",@SUM", csv);
        Assert.DoesNotContain(",\"@SUM", csv);
    }

    private static async Task<string> ReadAsync(PortalApi api, string model, string file)
    {
        var response = await api.GetAsync($"/api/v1/models/{model}/evidence");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var zip = new ZipArchive(new MemoryStream(await response.Content.ReadAsByteArrayAsync()));
        using var reader = new StreamReader(zip.GetEntry(file)!.Open());
        return await reader.ReadToEndAsync();
    }
}
