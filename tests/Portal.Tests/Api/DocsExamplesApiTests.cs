using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using ModelWatch.Portal.Tests.Monitoring;
using ModelWatch.Portal.Tests.TestSupport;
using static ModelWatch.Portal.Tests.TestSupport.PortalApi;

namespace ModelWatch.Portal.Tests.Api;

/// <summary>
/// The request/answer examples in docs/api.md are run against the portal, so a reader who pastes one gets the
/// numbers the page shows. Each `request → answer` pair of a marked block is posted; every field the docs print is
/// compared with the answer, numbers to the digits printed.
/// </summary>
public sealed class DocsExamplesApiTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    public static TheoryData<string, string, string> DriftCompareExamples()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var (request, answer) in Examples("POST /drift/compare")) data.Add("/api/v1/drift/compare", request, answer);
        return data;
    }

    [Fact]
    public void The_docs_show_both_kinds_of_drift_comparison() =>
        Assert.Equal<string>(["categorical", "numerical"], Examples("POST /drift/compare")
            .Select(e => JsonDocument.Parse(e.Request).RootElement.GetProperty("kind").GetString() ?? "").Order().ToArray());

    [Theory]
    [MemberData(nameof(DriftCompareExamples))]
    public async Task A_documented_example_answers_what_the_docs_print(string path, string request, string documented)
    {
        using var admin = portal.Admin();

        var answer = await Expect(HttpStatusCode.OK, await admin.PostAsync(path, request));

        AssertMatches(JsonDocument.Parse(documented).RootElement, answer, "$");
    }

    /// <summary>The pairs in the ```json block that follows the first line starting with the marker.</summary>
    private static IEnumerable<(string Request, string Answer)> Examples(string marker)
    {
        var docs = File.ReadAllText(Path.Combine(SignalRJavaScriptClientTests.RepositoryRoot(), "docs", "api.md"));
        var block = Regex.Match(docs, "^`" + Regex.Escape(marker) + "`.*?```json\n(?<code>.*?)```", RegexOptions.Singleline | RegexOptions.Multiline);
        Assert.True(block.Success, $"docs/api.md has no example block after `{marker}`");
        foreach (var pair in block.Groups["code"].Value.Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = pair.Split('→');
            Assert.True(parts.Length == 2, $"an example in the `{marker}` block is not 'request → answer': {pair}");
            yield return (parts[0].Trim(), parts[1].Trim());
        }
    }

    private static void AssertMatches(JsonElement documented, JsonElement actual, string path)
    {
        switch (documented.ValueKind)
        {
            case JsonValueKind.Object:
                Assert.True(actual.ValueKind == JsonValueKind.Object, $"{path}: the docs print an object, the answer is {actual.ValueKind}");
                foreach (var field in documented.EnumerateObject())
                {
                    Assert.True(actual.TryGetProperty(field.Name, out var value), $"{path}.{field.Name} is in the docs but not in the answer");
                    AssertMatches(field.Value, value, $"{path}.{field.Name}");
                }
                break;
            case JsonValueKind.Number:
                Assert.True(actual.ValueKind == JsonValueKind.Number, $"{path}: the docs print a number, the answer is {actual.GetRawText()}");
                var printed = documented.GetRawText();
                var decimals = printed.Contains('.') ? printed.Length - printed.IndexOf('.') - 1 : 0;
                var expected = double.Parse(printed, CultureInfo.InvariantCulture);
                var tolerance = 0.5 * Math.Pow(10, -decimals) + 1e-12;
                Assert.True(Math.Abs(actual.GetDouble() - expected) <= tolerance, $"{path}: the docs print {printed}, the portal answers {actual.GetRawText()}");
                break;
            default:
                Assert.True(documented.GetRawText() == actual.GetRawText(), $"{path}: the docs print {documented.GetRawText()}, the portal answers {actual.GetRawText()}");
                break;
        }
    }
}
