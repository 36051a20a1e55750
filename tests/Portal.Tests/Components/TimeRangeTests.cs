using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using ModelWatch.Engine.Registry;
using ModelWatch.Portal.Components.Pages;
using ModelWatch.Portal.Components.Shared;
using ModelWatch.Portal.Components.ViewModels;

namespace ModelWatch.Portal.Tests.Components;

/// <summary>Issue 12 item 9: an absolute range in the URL, drag-to-zoom that sets it for every chart, and pause/resume of live updates.</summary>
public class TimeRangeTests : UiTestContext
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 12, 0, 0, TimeSpan.Zero);

    public TimeRangeTests()
    {
        Catalog.Add("fraud-detector", "payments-risk", ModelTask.BinaryClassification, "1.0.0");
        Summaries.ByModel["fraud-detector"] = SampleData.Summary();
        Summaries.Timelines["fraud-detector"] = SampleData.Timeline();
    }

    private IRenderedComponent<ModelPage> Open(string query)
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo($"models/fraud-detector{query}");
        return Render<ModelPage>(p => p.Add(x => x.ModelId, "fraud-detector").AddCascadingValue(Omar));
    }

    [Theory]
    [InlineData(null, null, null)]
    [InlineData("2026-03-01T10:00:00Z", "2026-03-01T11:00:00Z", null)]
    [InlineData("2026-03-01T10:00:00Z", null, "needs both")]
    [InlineData("yesterday", "2026-03-01T11:00:00Z", "needs both")]
    [InlineData("2026-03-01T11:00:00Z", "2026-03-01T10:00:00Z", "ends before it starts")]
    [InlineData("2026-03-03T10:00:00Z", "2026-03-03T11:00:00Z", "future")]
    [InlineData("2023-01-01T00:00:00Z", "2026-03-01T00:00:00Z", "730 days")]
    public void A_range_in_the_address_is_read_or_refused_with_a_reason(string? from, string? to, string? error)
    {
        var range = TimeRange.Parse(from, to, Now, out var problem);

        if (error is null) Assert.Null(problem);
        else Assert.Contains(error, problem, StringComparison.Ordinal);
        Assert.Equal(from is not null && error is null, range is not null);
    }

    [Fact]
    public void A_zoom_is_clipped_to_now_rounded_to_seconds_and_at_least_a_minute_wide()
    {
        var zoom = TimeRange.FromZoom(Now.AddMinutes(-30).AddMilliseconds(400), Now.AddMinutes(10), Now);
        var narrow = TimeRange.FromZoom(Now.AddSeconds(-20), Now.AddSeconds(-10), Now);

        Assert.Equal((Now.AddMinutes(-30), Now), (zoom.From, zoom.To));
        Assert.Equal(TimeSpan.FromMinutes(1), narrow.To - narrow.From);
        Assert.Equal("2026-03-02T11:30:00Z", zoom.FromText);
    }

    [Fact]
    public void A_page_with_a_range_reads_that_range_does_not_follow_live_and_offers_the_way_back()
    {
        var cut = Open("?from=2026-03-01T10:00:00Z&to=2026-03-01T11:00:00Z");

        Assert.Equal([("fraud-detector", new DateTimeOffset(2026, 3, 1, 10, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 3, 1, 11, 0, 0, TimeSpan.Zero))], Summaries.RangeReads);
        Assert.Contains("Mar 1 10:00–11:00 UTC", cut.Find("[data-testid=range-scope]").TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("from=", cut.Find("[data-testid=back-to-live]").GetAttribute("href"), StringComparison.Ordinal);
        Assert.Contains("Fixed range", cut.Find("[data-testid=live-status]").TextContent, StringComparison.Ordinal);
        Assert.Empty(Live.Active);
        Assert.Contains("from=2026-03-01T10:00:00Z&to=2026-03-01T11:00:00Z", cut.Find("[data-testid=exports] a").GetAttribute("href"), StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_range_says_what_is_wrong_instead_of_showing_other_numbers()
    {
        var cut = Open("?from=2026-03-01T11:00:00Z&to=2026-03-01T10:00:00Z");

        Assert.Contains("ends before it starts", cut.Markup, StringComparison.Ordinal);
        Assert.Empty(Summaries.RangeReads);
    }

    [Fact]
    public async Task Dragging_across_any_chart_puts_that_range_in_the_address_for_every_chart()
    {
        JSInterop.SetupModule(PlotlyModule);
        var cut = Open("?tab=latency");
        var navigation = Services.GetRequiredService<NavigationManager>();

        await cut.InvokeAsync(() => cut.FindComponents<TimeChart>()[1].Instance.Zoomed("2026-03-02 11:40:12.5", "2026-03-02 11:50:00"));

        Assert.Contains("from=2026-03-02T11%3A40%3A12Z&to=2026-03-02T11%3A50%3A00Z", navigation.Uri, StringComparison.Ordinal);
        Assert.Contains("tab=latency", navigation.Uri, StringComparison.Ordinal);
    }

    [Fact]
    public void Pause_stops_applying_live_updates_and_resume_reloads_and_follows_again()
    {
        var cut = Open("");
        Assert.Single(Live.Active);

        cut.Find("[data-testid=live-pause]").Click();
        Assert.Empty(Live.Active);
        Assert.Contains("Paused", cut.Find("[data-testid=live-status]").TextContent, StringComparison.Ordinal);
        Assert.Equal("Resume", cut.Find("[data-testid=live-pause]").TextContent);
        var reads = Summaries.Reads.Count;

        cut.Find("[data-testid=live-pause]").Click();
        Assert.Single(Live.Active);
        Assert.Equal(reads + 1, Summaries.Reads.Count);
        Assert.Equal("Pause", cut.Find("[data-testid=live-pause]").TextContent);
    }
}
