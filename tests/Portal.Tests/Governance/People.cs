using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using ModelWatch.Engine.Access;
using ModelWatch.Portal.Tests.TestSupport;

namespace ModelWatch.Portal.Tests.Governance;

/// <summary>Portal users signed in through the real sign-in form (antiforgery token and cookie), for the per-person rules.</summary>
public static partial class People
{
    public const string Password = "correct-horse-battery";

    /// <summary>Creates a user with a unique name and signs them in; returns an API client riding on their cookie.</summary>
    public static async Task<(string Username, PortalApi Api)> SignedInAsync(PortalFactory portal, string role, params (string Team, string Role)[] teams)
    {
        var username = Scenario.NewId(role.ToLowerInvariant()[..4]);
        var users = portal.Services.GetRequiredService<UserStore>();
        var created = users.Create(username, username, role, Password, teams.Select(t => new TeamMembership(t.Team, t.Role)));
        Assert.True(created.IsOk, created.Message);
        return (username, new PortalApi(await SignInAsync(portal, username, Password)));
    }

    public static async Task<HttpClient> SignInAsync(PortalFactory portal, string username, string password)
    {
        var client = portal.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var page = await (await client.GetAsync("/signin")).Content.ReadAsStringAsync();
        var token = AntiforgeryToken().Match(page).Groups[1].Value;
        var response = await client.PostAsync("/account/signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["username"] = username, ["password"] = password, ["returnUrl"] = "/", ["__RequestVerificationToken"] = token,
        }));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location?.ToString());
        // A script, not a browser page: it may send a custom header, which cross-site pages cannot without a preflight.
        client.DefaultRequestHeaders.Add("X-Requested-With", "portal-tests");
        return client;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}
