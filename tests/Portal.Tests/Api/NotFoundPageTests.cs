using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using ModelWatch.Portal.Tests.TestSupport;

namespace ModelWatch.Portal.Tests.Api;

/// <summary>An unknown address: a styled HTML page for a browser, an RFC 7807 problem document for /api and for any other client.</summary>
public sealed partial class NotFoundPageTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    private const string BrowserAccept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

    private HttpClient Client() => portal.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    private static async Task<HttpResponseMessage> GetAsync(HttpClient client, string url, string accept)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.ParseAdd(accept);
        return await client.SendAsync(request);
    }

    private async Task<HttpClient> SignedInAsync()
    {
        var client = Client();
        var page = await (await client.GetAsync("/signin")).Content.ReadAsStringAsync();
        var token = Token().Match(page).Groups[1].Value;
        var signIn = await client.PostAsync("/account/signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["username"] = "admin", ["password"] = PortalFactory.AdminPassword, ["returnUrl"] = "/", ["__RequestVerificationToken"] = token,
        }));
        Assert.Equal("/", signIn.Headers.Location?.OriginalString);
        return client;
    }

    [Fact]
    public async Task A_browser_asking_for_an_unknown_page_gets_the_html_404_page_with_status_404()
    {
        using var client = await SignedInAsync();

        var response = await GetAsync(client, "/models-typo/fraud-detector?tab=drift", BrowserAccept);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("data-testid=\"page-not-found\"", html);
        Assert.Contains("Page not found", html);
        Assert.Contains("data-testid=\"nav\"", html); // the signed-in user keeps the menu to find their way
    }

    [Fact]
    public async Task A_visitor_who_is_not_signed_in_sees_the_404_page_with_a_sign_in_link_not_a_redirect()
    {
        using var client = Client();

        var response = await GetAsync(client, "/no-such-page", BrowserAccept);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("Page not found", html);
        Assert.Contains("data-testid=\"bar-sign-in\"", html);
        Assert.DoesNotContain("data-testid=\"nav\"", html);
    }

    [Theory]
    [InlineData("/api/v1/no-such-thing", BrowserAccept)]
    [InlineData("/api/v1/no-such-thing", "application/json")]
    [InlineData("/no-such-page", "application/json")]
    [InlineData("/no-such-page", "*/*")]
    public async Task Api_paths_and_clients_that_do_not_ask_for_html_get_a_problem_document(string url, string accept)
    {
        using var client = Client();

        var response = await GetAsync(client, url, accept);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(404, problem.RootElement.GetProperty("status").GetInt32());
        Assert.Contains(new Uri("http://x" + url).AbsolutePath, problem.RootElement.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_post_to_an_unknown_address_is_a_problem_document_even_from_a_browser()
    {
        using var client = Client();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/no-such-form") { Content = new StringContent("") };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/html"));

        var response = await client.SendAsync(request);

        Assert.NotEqual("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.True((int)response.StatusCode >= 400, $"got {(int)response.StatusCode}");
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex Token();
}
