using Bunit;
using Microsoft.AspNetCore.Components;
using ModelWatch.Portal.Components;
using ModelWatch.Portal.Components.Layout;

namespace ModelWatch.Portal.Tests.Components;

public class ThemeTests : UiTestContext
{
    private IRenderedComponent<MainLayout> RenderLayout(bool darkAtStart)
    {
        Authorization.SetAuthorized("dana");
        Viewers.Current = Dana;
        return Render<MainLayout>(p => p
            .Add(x => x.Body, (RenderFragment)(b => b.AddContent(0, "page")))
            .AddCascadingValue(ThemeCookie.CascadingName, darkAtStart));
    }

    [Theory]
    [InlineData(true, "Light mode")]
    [InlineData(false, "Dark mode")]
    public void The_layout_starts_in_the_theme_the_cookie_remembered(bool darkAtStart, string toggleOffers) =>
        Assert.Equal(toggleOffers, RenderLayout(darkAtStart).Find("[data-testid=dark-toggle]").GetAttribute("title"));

    [Fact]
    public void Toggling_saves_the_choice_for_the_next_page_load()
    {
        var cut = RenderLayout(darkAtStart: false);

        cut.Find("[data-testid=dark-toggle]").Click();

        Assert.Equal("Light mode", cut.Find("[data-testid=dark-toggle]").GetAttribute("title"));
        var call = JSInterop.VerifyInvoke("modelWatchTheme.save");
        Assert.Equal(true, call.Arguments[0]);
    }

    [Theory]
    [InlineData("dark", true)]
    [InlineData("light", false)]
    [InlineData(null, false)]
    [InlineData("DARK<script>", false)]
    public void Only_the_exact_cookie_value_dark_turns_dark_mode_on(string? cookie, bool dark) =>
        Assert.Equal(dark, ThemeCookie.IsDark(cookie));
}
