using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using ModelWatch.Engine.Live;
using ModelWatch.Engine.Registry;
using ModelWatch.Portal.Components.Layout;
using ModelWatch.Portal.Components.Pages;
using ModelWatch.Portal.Components.ViewModels;

namespace ModelWatch.Portal.Tests.Components;

public class ModelPageTests : UiTestContext
{
    public ModelPageTests()
    {
        Catalog.Add("fraud-detector", "payments-risk", ModelTask.BinaryClassification, "1.0.0", "1.1.0");
        Catalog.Add("demand-forecast", "operations", ModelTask.Regression);
        Summaries.ByModel["fraud-detector"] = SampleData.Summary();
        Summaries.Timelines["fraud-detector"] = SampleData.Timeline();
    }

    private IRenderedComponent<ModelPage> Open(Viewer viewer, string model = "fraud-detector", string query = "")
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo($"models/{model}{query}");
        return Render<ModelPage>(p => p.Add(x => x.ModelId, model).AddCascadingValue(viewer));
    }

    [Fact]
    public void A_data_scientist_opens_on_drift()
    {
        var cut = Open(Dana);

        Assert.NotNull(cut.Find("[data-testid=panel-drift]"));
        Assert.Empty(cut.FindAll("[data-testid=panel-latency]"));
    }

    [Fact]
    public void An_ops_engineer_opens_on_latency()
    {
        var cut = Open(Omar);

        Assert.NotNull(cut.Find("[data-testid=panel-latency]"));
        Assert.Empty(cut.FindAll("[data-testid=panel-drift]"));
    }

    [Fact]
    public void The_tab_in_the_url_wins_over_the_role_default()
    {
        var cut = Open(Omar, query: "?tab=cost");

        Assert.NotNull(cut.Find("[data-testid=panel-cost]"));
    }

    [Fact]
    public void Window_and_version_from_the_url_are_what_the_page_reads()
    {
        Open(Dana, query: "?window=24h&version=1.1.0");

        Assert.Contains(("fraud-detector", Engine.Windows.SummaryWindow.OneDay, "1.1.0"), Summaries.Reads);
    }

    [Fact]
    public void A_model_of_another_team_is_not_allowed_and_its_data_is_never_read()
    {
        var cut = Open(Dana, "demand-forecast");

        Assert.NotNull(cut.Find("[data-testid=not-allowed]"));
        Assert.Contains("not allowed", cut.Markup);
        Assert.Empty(Summaries.Reads);
        Assert.Empty(Live.Active);
    }

    [Fact]
    public void An_unknown_model_is_not_found()
    {
        var cut = Open(Admin, "nope");

        Assert.NotNull(cut.Find("[data-testid=not-found]"));
    }

    [Fact]
    public void A_model_without_traffic_says_where_to_send_events()
    {
        Summaries.ByModel["fraud-detector"] = SampleData.Quiet("fraud-detector");

        var cut = Open(Dana);

        Assert.Contains("No traffic yet — send events to", cut.Markup);
        Assert.Contains("POST /api/v1/models/fraud-detector/predictions", cut.Markup);
        Assert.Empty(cut.FindAll("[data-testid=panel-drift]"));
    }

    [Fact]
    public void A_failing_read_shows_an_error_state()
    {
        Summaries.Failure = new InvalidOperationException("database is locked");

        var cut = Open(Dana);

        Assert.NotNull(cut.Find("[data-testid=state-error]"));
        Assert.Contains("database is locked", cut.Markup);
    }

    [Fact]
    public void An_unknown_version_is_an_error_not_an_empty_page()
    {
        var cut = Open(Dana, query: "?version=9.9.9");

        Assert.Contains("has no version '9.9.9'", cut.Markup);
    }

    [Fact]
    public void Live_updates_are_coalesced_to_one_render_per_interval()
    {
        var cut = Open(Dana);
        Assert.Single(Live.Active);
        int LiveRenders() => int.Parse(cut.Find("[data-testid=live-status]").GetAttribute("data-live-renders")!);

        // Ten updates in the same instant: the first renders at once, the other nine wait and go together.
        for (var i = 1; i <= 10; i++)
            Live.Push(new LiveUpdate(SampleData.Summary(predictions: 20000 + i), SampleData.Point(SampleData.Now.AddMinutes(1))));

        cut.WaitForAssertion(() => Assert.Contains("20,001", cut.Find("[data-testid=live-predictions]").TextContent));
        Assert.Equal(1, LiveRenders());

        Clock.Advance(TimeSpan.FromMilliseconds(249));
        Assert.Equal(1, LiveRenders());
        Assert.Contains("20,001", cut.Find("[data-testid=live-predictions]").TextContent);

        Clock.Advance(TimeSpan.FromMilliseconds(1));
        cut.WaitForAssertion(() => Assert.Contains("20,010", cut.Find("[data-testid=live-predictions]").TextContent));
        Assert.Equal(2, LiveRenders());
    }

    [Fact]
    public void A_new_timeline_step_extends_the_chart_traces_instead_of_redrawing()
    {
        var cut = Open(Omar);
        var module = JSInterop.SetupModule(PlotlyModule);

        Live.Push(new LiveUpdate(SampleData.Summary(predictions: 30000), SampleData.Point(SampleData.Now.AddMinutes(1), p95: 150)));

        cut.WaitForAssertion(() => Assert.Contains("30,000", cut.Find("[data-testid=live-predictions]").TextContent));
        int Extends() => AllInvocations().Count(i => i.Identifier == "extend");
        var charts = cut.FindAll("[data-testid=panel-latency] .time-chart").Count;
        cut.WaitForAssertion(() => Assert.Equal(charts, Extends()));
        var draws = AllInvocations().Count(i => i.Identifier == "draw");
        Live.Push(new LiveUpdate(SampleData.Summary(predictions: 30001), SampleData.Point(SampleData.Now.AddMinutes(2), p95: 150)));
        Clock.Advance(TimeSpan.FromSeconds(1));
        cut.WaitForAssertion(() => Assert.Equal(2 * charts, Extends()));
        Assert.Equal(draws, AllInvocations().Count(i => i.Identifier == "draw")); // extended, never redrawn
        _ = module;
    }

    [Fact]
    public async Task Leaving_the_page_disposes_the_live_subscription()
    {
        Open(Dana);
        Assert.Single(Live.Active);

        await DisposeComponentsAsync();

        Assert.Empty(Live.Active);
    }

    private IEnumerable<JSRuntimeInvocation> AllInvocations() =>
        JSInterop.Invocations.Concat(JSInterop.SetupModule(PlotlyModule).Invocations);
}

public class FleetPageTests : UiTestContext
{
    public FleetPageTests()
    {
        Catalog.Add("fraud-detector", "payments-risk");
        Catalog.Add("churn-predictor", "growth-analytics");
        Catalog.Add("ticket-router", "operations", ModelTask.MulticlassClassification);
        // churn drifts but is fast; ticket-router is slow but does not drift; fraud is fine.
        Summaries.ByModel["fraud-detector"] = SampleData.Summary("fraud-detector", datasetDrift: false, p95: 50);
        Summaries.ByModel["churn-predictor"] = SampleData.Summary("churn-predictor", datasetDrift: true, p95: 40);
        Summaries.ByModel["ticket-router"] = SampleData.Summary("ticket-router", datasetDrift: false, p95: 450);
    }

    private IRenderedComponent<Fleet> Open(Viewer viewer) => Render<Fleet>(p => p.AddCascadingValue(viewer));

    private IReadOnlyList<string> CardOrder(IRenderedComponent<Fleet> cut) =>
        cut.FindAll("[data-testid^=model-card-]").Select(e => e.GetAttribute("data-testid")!["model-card-".Length..]).ToList();

    [Fact]
    public void A_data_scientist_sees_quality_first_with_drifting_models_on_top()
    {
        var cut = Open(Dana);

        Assert.Equal(["churn-predictor", "fraud-detector"], CardOrder(cut)); // ticket-router belongs to operations
        Assert.Equal("quality", cut.Find("[data-testid=fleet-view]").GetAttribute("data-view"));
        var firstStat = cut.Find("[data-testid=model-card-churn-predictor] .stat");
        Assert.Equal("stat-drift", firstStat.GetAttribute("data-testid"));
    }

    [Fact]
    public void An_ops_engineer_sees_operations_first_with_slo_breaches_on_top()
    {
        Catalog.Models.RemoveAll(m => m.Id == "churn-predictor");
        Catalog.Add("churn-predictor", "payments-risk");

        var cut = Open(Omar);

        Assert.Equal("ticket-router", CardOrder(cut)[0]);
        Assert.Equal("operations", cut.Find("[data-testid=fleet-view]").GetAttribute("data-view"));
        Assert.Equal("stat-latency", cut.Find("[data-testid=model-card-ticket-router] .stat").GetAttribute("data-testid"));
    }

    [Fact]
    public void A_card_shows_drift_performance_latency_errors_and_spend()
    {
        var cut = Open(Admin);

        var card = cut.Find("[data-testid=model-card-fraud-detector]");
        Assert.Contains("No drift", card.QuerySelector("[data-testid=stat-drift]")!.TextContent);
        Assert.Contains("91.4 %", card.QuerySelector("[data-testid=stat-performance]")!.TextContent);
        Assert.Contains("50.0 ms", card.QuerySelector("[data-testid=stat-latency]")!.TextContent);
        Assert.Contains("SLO 200 ms", card.QuerySelector("[data-testid=stat-latency]")!.TextContent);
        Assert.Contains("1.23 %", card.QuerySelector("[data-testid=stat-errors]")!.TextContent);
        Assert.Contains("$321.50", card.QuerySelector("[data-testid=stat-cost]")!.TextContent);
        Assert.NotNull(card.QuerySelector("[data-testid=sparkline]"));
    }

    [Fact]
    public void A_card_without_labels_is_awaiting_labels_with_coverage()
    {
        Summaries.ByModel["fraud-detector"] = SampleData.Summary("fraud-detector", labeled: 0);

        var cut = Open(Admin);

        var stat = cut.Find("[data-testid=model-card-fraud-detector] [data-testid=stat-performance]");
        Assert.Contains("Awaiting labels", stat.TextContent);
        Assert.Contains("coverage 0.0 %", stat.TextContent);
    }

    [Fact]
    public void A_model_without_traffic_gets_the_empty_state_and_goes_last()
    {
        Summaries.ByModel["churn-predictor"] = SampleData.Quiet("churn-predictor");

        var cut = Open(Dana);

        Assert.Equal("churn-predictor", CardOrder(cut)[^1]);
        Assert.Contains("No traffic yet", cut.Find("[data-testid=model-card-churn-predictor]").TextContent);
    }

    [Fact]
    public void A_user_without_models_is_told_how_to_get_some()
    {
        Catalog.Models.Clear();

        var cut = Open(Dana);

        Assert.Contains("No models yet", cut.Markup);
    }

    [Fact]
    public void A_failing_model_shows_an_error_on_its_card_only()
    {
        Summaries.Failure = new InvalidOperationException("boom");

        var cut = Open(Dana);

        Assert.Contains("boom", cut.Find("[data-testid=model-card-fraud-detector]").TextContent);
    }

    [Fact]
    public void Live_updates_refresh_a_card()
    {
        var cut = Open(Dana);
        Assert.Equal(2, Live.Active.Count);

        Live.Push(new LiveUpdate(SampleData.Summary("fraud-detector", errorRate: 0.0777), SampleData.Point(SampleData.Now.AddMinutes(1))));

        cut.WaitForAssertion(() => Assert.Contains("7.77 %", cut.Find("[data-testid=model-card-fraud-detector] [data-testid=stat-errors]").TextContent));
    }
}

public class NavigationTests : UiTestContext
{
    [Fact]
    public void The_drawer_lists_only_the_models_the_viewer_may_read()
    {
        Catalog.Add("fraud-detector", "payments-risk");
        Catalog.Add("churn-predictor", "growth-analytics");
        Catalog.Add("demand-forecast", "operations");
        Authorization.SetAuthorized("dana");
        Viewers.Current = Dana;

        var cut = Render<MainLayout>(p => p.Add(x => x.Body, (RenderFragment)(b => b.AddContent(0, "page"))));

        Assert.NotNull(cut.Find("[data-testid=nav-model-fraud-detector]"));
        Assert.NotNull(cut.Find("[data-testid=nav-model-churn-predictor]"));
        Assert.Empty(cut.FindAll("[data-testid=nav-model-demand-forecast]"));
    }

    [Fact]
    public void The_who_am_i_menu_shows_name_role_teams_and_a_sign_out_form()
    {
        var cut = Render(b =>
        {
            b.OpenComponent<MudBlazor.MudPopoverProvider>(0);
            b.CloseComponent();
            b.OpenComponent<WhoAmI>(1);
            b.AddComponentParameter(2, nameof(WhoAmI.Viewer), Omar);
            b.CloseComponent();
        });

        cut.Find("[data-testid=who-am-i-button]").Click();

        cut.WaitForAssertion(() => Assert.Contains("Omar Ops", cut.Markup));
        Assert.Contains("Ops engineer", cut.Markup);
        Assert.Contains("payments-risk", cut.Markup);
        Assert.Contains("operations", cut.Markup);
        var form = cut.Find("form[data-testid=sign-out-form]");
        Assert.Equal("post", form.GetAttribute("method"));
        Assert.Equal("account/signout", form.GetAttribute("action"));
        // A named button that says it opens a panel, and no menu role around the form (axe: nested-interactive, aria-required-children).
        var button = cut.Find("[data-testid=who-am-i-button]");
        Assert.Equal("Account: signed in as Omar Ops", button.GetAttribute("aria-label"));
        Assert.Equal("true", button.GetAttribute("aria-expanded"));
        Assert.Empty(cut.FindAll("[role=menu]"));
    }

    [Fact]
    public void The_who_am_i_panel_offers_the_other_view_and_reports_the_choice()
    {
        ViewKind? chosen = null;
        var cut = Render(b =>
        {
            b.OpenComponent<MudBlazor.MudPopoverProvider>(0);
            b.CloseComponent();
            b.OpenComponent<WhoAmI>(1);
            b.AddComponentParameter(2, nameof(WhoAmI.Viewer), Omar);
            b.AddComponentParameter(3, nameof(WhoAmI.ViewChosen), EventCallback.Factory.Create<ViewKind>(this, v => chosen = v));
            b.CloseComponent();
        });
        cut.Find("[data-testid=who-am-i-button]").Click();

        cut.WaitForAssertion(() => Assert.True(cut.Find("[data-testid=view-operations]").HasAttribute("checked")));
        Assert.False(cut.Find("[data-testid=view-quality]").HasAttribute("checked"));
        cut.Find("[data-testid=view-quality]").Change("quality");

        Assert.Equal(ViewKind.Quality, chosen);
    }

    [Fact]
    public void A_chosen_view_overrides_the_role_default_on_the_model_page()
    {
        Catalog.Add("fraud-detector", "payments-risk", ModelTask.BinaryClassification, "1.0.0");
        Summaries.ByModel["fraud-detector"] = SampleData.Summary();
        Summaries.Timelines["fraud-detector"] = SampleData.Timeline();
        Services.GetRequiredService<NavigationManager>().NavigateTo("models/fraud-detector");

        var cut = Render<ModelPage>(p => p.Add(x => x.ModelId, "fraud-detector").AddCascadingValue(Omar with { ChosenView = ViewKind.Quality }));

        Assert.NotNull(cut.Find("[data-testid=panel-drift]"));
        Assert.Empty(cut.FindAll("[data-testid=panel-latency]"));
    }
}
