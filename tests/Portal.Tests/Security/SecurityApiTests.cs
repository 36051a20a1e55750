using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Hosting;
using ModelWatch.Engine.Access;
using ModelWatch.Portal.Tests.Governance;
using ModelWatch.Portal.Tests.TestSupport;
using static ModelWatch.Portal.Tests.TestSupport.PortalApi;

namespace ModelWatch.Portal.Tests.Security;

/// <summary>The attacks of issue 10, each replayed against the real portal.</summary>
public sealed partial class SecurityApiTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    private long AuditRows() => portal.Scalar("SELECT COUNT(*) FROM audit_log");

    private Task<(HttpClient Client, string Token)> SignInPageAsync(string? forwardedFor = null) => SignInPageAsync(portal, forwardedFor);

    private static async Task<(HttpClient Client, string Token)> SignInPageAsync(PortalFactory portal, string? forwardedFor = null)
    {
        var client = portal.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        if (forwardedFor is not null) client.DefaultRequestHeaders.Add("X-Forwarded-For", forwardedFor);
        var page = await (await client.GetAsync("/signin")).Content.ReadAsStringAsync();
        return (client, Token().Match(page).Groups[1].Value);
    }

    private static Task<HttpResponseMessage> PostSignIn(HttpClient client, string token, string username, string password, string returnUrl = "/") =>
        client.PostAsync("/account/signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["username"] = username, ["password"] = password, ["returnUrl"] = returnUrl, ["__RequestVerificationToken"] = token,
        }));

    [Fact]
    public async Task A_username_or_password_over_256_characters_is_refused_with_400_and_nothing_is_stored()
    {
        var (client, token) = await SignInPageAsync("10.1.0.1");
        var before = AuditRows();

        await ExpectProblem(HttpStatusCode.BadRequest, await PostSignIn(client, token, new string('u', 257), "whatever-password"));
        await ExpectProblem(HttpStatusCode.BadRequest, await PostSignIn(client, token, "admin", new string('p', 257)));
        await ExpectProblem(HttpStatusCode.BadRequest, await PostSignIn(client, token, new string('u', 4 * 1024 * 1024), "x"));

        Assert.Equal(before, AuditRows());
    }

    [Fact]
    public async Task A_failed_sign_in_for_an_unknown_user_records_unknown_user_never_the_text_typed()
    {
        var (client, token) = await SignInPageAsync("10.1.0.2");
        var typed = "my-secret-password-typed-as-username";

        Assert.Equal(HttpStatusCode.Redirect, (await PostSignIn(client, token, typed, "x")).StatusCode);

        Assert.Equal(0, portal.Scalar("SELECT COUNT(*) FROM audit_log WHERE after LIKE '%' || @typed || '%'", new { typed }));
        Assert.True(portal.Scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'user.sign-in-failed' AND after LIKE '%unknown user%'") > 0);
    }

    [Fact]
    public async Task Sign_in_attempts_beyond_the_per_address_limit_get_429_with_Retry_After_while_other_addresses_still_sign_in()
    {
        // The shared factory lifts the limit for the other tests (they all sign in from one address); this portal keeps it low.
        using var limited = PortalFactory.With(new Dictionary<string, string?> { ["Portal:Security:SignInAttemptsPerAddress"] = "5" });
        var (flood, token) = await SignInPageAsync(limited, "10.2.0.66");
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 10; i++) statuses.Add((await PostSignIn(flood, token, "admin", "wrong-" + i)).StatusCode);

        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
        var refused = await PostSignIn(flood, token, "admin", PortalFactory.AdminPassword);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.True(refused.Headers.RetryAfter is not null, "429 without Retry-After");

        // The admin, elsewhere, signs in during the flood: neither the rate limit nor the lockout reaches them.
        var (admin, adminToken) = await SignInPageAsync(limited, "10.2.0.1");
        var response = await PostSignIn(admin, adminToken, "admin", PortalFactory.AdminPassword);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location?.ToString());
    }

    [Fact]
    public async Task Unknown_and_locked_out_users_get_the_same_answer()
    {
        var username = Scenario.NewId("lock");
        Assert.True(portal.Services.GetRequiredService<UserStore>().Create(username, username, Roles.OpsEngineer, People.Password, []).IsOk);
        var (client, token) = await SignInPageAsync("10.3.0.1");
        for (var i = 0; i < UserStore.MaxFailedSignIns; i++) await PostSignIn(client, token, username, "wrong-" + i);

        var locked = await PostSignIn(client, token, username, "wrong-again");
        var unknown = await PostSignIn(client, token, "nobody-" + username[5..], "wrong-again");

        Assert.Equal(HttpStatusCode.Redirect, locked.StatusCode);
        Assert.Equal(unknown.Headers.Location!.ToString().Replace("nobody-" + username[5..], username, StringComparison.Ordinal), locked.Headers.Location!.ToString());
    }

    [Theory]
    [InlineData("/\t/evil.example")]
    [InlineData("/\n/evil.example")]
    [InlineData("/\\evil.example")]
    [InlineData("//evil.example")]
    [InlineData("https://evil.example/")]
    public async Task A_hostile_returnUrl_redirects_to_a_local_page_never_500_or_off_site(string returnUrl)
    {
        var (client, token) = await SignInPageAsync("10.4.0.1");

        var response = await PostSignIn(client, token, "admin", PortalFactory.AdminPassword, returnUrl);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location?.ToString());
    }

    [Fact]
    public async Task The_sign_in_redirect_never_echoes_a_huge_Location()
    {
        using var client = portal.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var response = await client.GetAsync("/registry?q=" + new string('a', 100_000));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.True(response.Headers.Location!.ToString().Length < 3000, $"Location is {response.Headers.Location.ToString().Length} characters");
    }

    [Fact]
    public async Task A_cookie_copied_before_sign_out_stops_working_and_sign_out_needs_the_antiforgery_token()
    {
        var username = Scenario.NewId("copy");
        Assert.True(portal.Services.GetRequiredService<UserStore>().Create(username, username, Roles.OpsEngineer, People.Password, []).IsOk);
        var auth = await SignInCookieAsync(username, People.Password);
        Assert.Equal(1, portal.Scalar("SELECT COUNT(*) FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.username = @username AND s.revoked_at IS NULL", new { username }));

        // The owner's client and an attacker's copy carry the very same session cookie.
        using var owner = ClientWithCookie(auth);
        using var copied = ClientWithCookie(auth);
        Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync("/api/v1/teams")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await copied.GetAsync("/api/v1/teams")).StatusCode);

        // Without the token: refused, still signed in.
        Assert.Equal(HttpStatusCode.BadRequest, (await owner.PostAsync("/account/signout", new FormUrlEncodedContent([]))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await copied.GetAsync("/api/v1/teams")).StatusCode);

        // With the token (issued to the signed-in owner) sign-out succeeds and revokes the server-side session.
        var page = await owner.GetAsync("/signin");
        var antiforgery = string.Join("; ", page.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]));
        using var signOut = new HttpRequestMessage(HttpMethod.Post, "/account/signout")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = Token().Match(await page.Content.ReadAsStringAsync()).Groups[1].Value }),
        };
        signOut.Headers.Add("Cookie", $"{auth}; {antiforgery}");
        Assert.Equal(HttpStatusCode.Redirect, (await owner.SendAsync(signOut)).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await copied.GetAsync("/api/v1/teams")).StatusCode);
        Assert.Equal(0, portal.Scalar("SELECT COUNT(*) FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.username = @username AND s.revoked_at IS NULL", new { username }));
    }

    private HttpClient ClientWithCookie(string cookie)
    {
        var client = portal.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        client.DefaultRequestHeaders.Add("Cookie", cookie);
        client.DefaultRequestHeaders.Accept.Add(new System.Net.Http.Headers.MediaTypeWithQualityHeaderValue("application/json"));
        return client;
    }

    /// <summary>Signs in through the form without a cookie jar and returns the auth cookie exactly as a browser would hold it.</summary>
    private async Task<string> SignInCookieAsync(string username, string password)
    {
        using var client = portal.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        var page = await client.GetAsync("/signin");
        var antiforgeryCookie = string.Join("; ", page.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]));
        var token = Token().Match(await page.Content.ReadAsStringAsync()).Groups[1].Value;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/account/signin")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["username"] = username, ["password"] = password, ["returnUrl"] = "/", ["__RequestVerificationToken"] = token }),
        };
        request.Headers.Add("Cookie", antiforgeryCookie);
        var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var auth = string.Join("; ", response.Headers.GetValues("Set-Cookie").Where(c => c.StartsWith("modelwatch.auth", StringComparison.Ordinal)).Select(c => c.Split(';')[0]));
        Assert.NotEmpty(auth);
        return auth;
    }

    [Fact]
    public async Task Over_a_trusted_proxy_with_https_the_sign_in_cookie_is_Secure()
    {
        var client = portal.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        var page = await client.GetAsync("/signin");
        var antiforgeryCookie = string.Join("; ", page.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]));
        var token = Token().Match(await page.Content.ReadAsStringAsync()).Groups[1].Value;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/account/signin")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["username"] = "admin", ["password"] = PortalFactory.AdminPassword, ["returnUrl"] = "/", ["__RequestVerificationToken"] = token }),
        };
        request.Headers.Add("Cookie", antiforgeryCookie);
        request.Headers.Add("X-Forwarded-For", "10.6.0.1");
        request.Headers.Add("X-Forwarded-Proto", "https");

        var response = await client.SendAsync(request);

        var auth = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("modelwatch.auth", StringComparison.Ordinal));
        Assert.Contains("secure", auth, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("max-age=31536000", response.Headers.GetValues("Strict-Transport-Security").Single());
    }

    [Fact]
    public async Task Every_answer_carries_a_script_safe_CSP_nosniff_and_a_referrer_policy_and_no_HSTS_over_http()
    {
        using var client = portal.CreateClient();

        var response = await client.GetAsync("/signin");

        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("script-src 'self';", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.True(response.Headers.Contains("Referrer-Policy"));
        Assert.False(response.Headers.Contains("Strict-Transport-Security"));
        Assert.False(portal.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>>().Value.AddServerHeader);
    }

    [Fact]
    public async Task A_cookie_write_without_the_custom_header_or_token_is_refused_and_API_keys_are_unaffected()
    {
        var scenario = await Scenario.CreateAsync(portal);
        var (_, api) = await People.SignedInAsync(portal, Roles.DataScientist, (scenario.Team, "lead"));
        api.Http.DefaultRequestHeaders.Remove("X-Requested-With");

        // What a page on another port of the same host can send with the user's cookie: no custom header.
        await ExpectProblem(HttpStatusCode.Forbidden, await api.PostAsync(scenario.Predictions, Batch(Prediction("csrf-1"))));
        await ExpectProblem(HttpStatusCode.Forbidden, await api.PostAsync(scenario.Predictions, Batch(Prediction("csrf-2")), "text/plain"));
        Assert.Equal(0, portal.Rows(scenario.Model).Predictions);

        api.Http.DefaultRequestHeaders.Add("X-Requested-With", "test");
        await Expect(HttpStatusCode.Accepted, await api.PostAsync(scenario.Predictions, Batch(Prediction("ok-1"))));
        using var key = portal.WithKey(scenario.Key);
        await Expect(HttpStatusCode.Accepted, await key.PostAsync(scenario.Predictions, Batch(Prediction("ok-2"))));
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("application/merge-patch+json")]
    [InlineData("application/jsonp")]
    public async Task JSON_endpoints_accept_only_application_json_and_answer_415(string contentType)
    {
        var scenario = await Scenario.CreateAsync(portal);
        using var key = portal.WithKey(scenario.Key);

        await ExpectProblem(HttpStatusCode.UnsupportedMediaType, await key.PostAsync(scenario.Predictions, Batch(Prediction("ct-1")), contentType));
        await Expect(HttpStatusCode.Accepted, await key.PostAsync(scenario.Predictions, Batch(Prediction("ct-2")), "application/json; charset=utf-8"));
    }

    [Fact]
    public async Task A_team_key_asking_for_another_teams_model_gets_404_naming_no_owner()
    {
        var mine = await Scenario.CreateAsync(portal);
        var theirs = await Scenario.CreateAsync(portal);
        using var key = portal.WithKey(mine.Key);

        var problem = await ExpectProblem(HttpStatusCode.NotFound, await key.GetAsync($"/api/v1/models/{theirs.Model}"));
        var missing = await ExpectProblem(HttpStatusCode.NotFound, await key.GetAsync("/api/v1/models/no-such-model"));

        Assert.DoesNotContain(theirs.Team, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(missing.GetProperty("detail").GetString()!.Replace("no-such-model", theirs.Model, StringComparison.Ordinal), problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_body_of_the_wrong_JSON_shape_is_400_without_internal_type_names()
    {
        using var admin = portal.Admin();

        var problem = await ExpectProblem(HttpStatusCode.BadRequest, await admin.PostAsync("/api/v1/teams", "[1, 2]"));
        var other = await ExpectProblem(HttpStatusCode.BadRequest, await admin.PostAsync("/api/v1/teams", """{ "id": 5, "name": "x" }"""));

        Assert.DoesNotContain("ModelWatch", problem.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain("ModelWatch", other.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain("System.", other.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cookie_connection_to_the_hub_from_another_origin_is_refused()
    {
        var (_, api) = await People.SignedInAsync(portal, Roles.OpsEngineer);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/hubs/live/negotiate?negotiateVersion=1");
        request.Headers.Add("Origin", "http://localhost:9999");

        var response = await api.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        using var own = new HttpRequestMessage(HttpMethod.Post, "/hubs/live/negotiate?negotiateVersion=1");
        own.Headers.Add("Origin", "http://localhost");
        Assert.Equal(HttpStatusCode.OK, (await api.Http.SendAsync(own)).StatusCode);
    }

    [Fact]
    public void In_Production_the_demo_with_its_default_password_refuses_to_start_and_says_how_to_fix_it()
    {
        using var production = new ProductionPortal(demoPassword: null);
        var error = Assert.ThrowsAny<Exception>(() => production.CreateClient());

        var message = error.ToString();
        Assert.Contains("Portal__Demo__Enabled=false", message, StringComparison.Ordinal);
        Assert.Contains("Portal__Demo__Password", message, StringComparison.Ordinal);

        using var chosen = new ProductionPortal(demoPassword: "a-password-of-our-own");
        using var client = chosen.CreateClient();
    }

    private sealed class ProductionPortal(string? demoPassword) : PortalFactory(new Dictionary<string, string?>
    {
        ["Portal:Demo:Enabled"] = "true", ["Portal:Demo:Password"] = demoPassword, ["Portal:Demo:EventsPerSecond"] = "1",
    })
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseEnvironment(Environments.Production);
        }
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex Token();
}
