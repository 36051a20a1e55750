using Bunit;
using ModelWatch.Portal.Components.Panels;
using ModelWatch.Portal.Components.ViewModels;

namespace ModelWatch.Portal.Tests.Components;

public class PanelTests : UiTestContext
{
    private IRenderedComponent<T> RenderPanel<T>(Engine.Windows.ModelSummary? summary = null) where T : PanelBase =>
        Render<T>(p => p
            .Add(x => x.Summary, summary ?? SampleData.Summary())
            .Add(x => x.Timeline, new TimelineBuffer(SampleData.Timeline().Points)));

    [Fact]
    public void Drift_panel_shows_each_feature_with_method_value_threshold_and_sample_sizes()
    {
        var cut = RenderPanel<DriftPanel>();

        var panel = cut.Find("[data-testid=panel-drift]");
        Assert.Contains("Yes", cut.Find("[data-testid=drift-dataset]").TextContent);
        Assert.Contains("2 of 3", cut.Find("[data-testid=drift-share]").TextContent);
        var rows = cut.FindAll("[data-testid=drift-table] tbody tr");
        Assert.Equal(3, rows.Count);
        Assert.Contains("amount", rows[0].TextContent); // most drifted first
        Assert.Contains("Wasserstein (norm.)", rows[0].TextContent);
        Assert.Contains("0.4321", rows[0].TextContent);
        Assert.Contains("0.10", rows[0].TextContent);
        Assert.Contains("1,000", rows[0].TextContent);
        Assert.Contains("742", rows[0].TextContent);
        Assert.Contains("drifted", rows[0].TextContent);
        Assert.Contains("ok", rows[2].TextContent);
        Assert.NotNull(panel.QuerySelector("[data-testid=drift-histogram]"));
        Assert.NotNull(panel.QuerySelector("[data-testid=drift-feature-timeline]"));
    }

    [Fact]
    public void Clicking_a_feature_selects_it_for_the_histogram()
    {
        var cut = RenderPanel<DriftPanel>();

        cut.FindAll("[data-testid=drift-table] tbody tr")[2].Click();

        Assert.Contains("hour: reference vs current", cut.Markup);
    }

    [Fact]
    public void Drift_panel_without_results_says_why()
    {
        var cut = RenderPanel<DriftPanel>(SampleData.Quiet("fraud-detector"));

        Assert.Contains("No drift results yet", cut.Markup);
        Assert.Contains("no current data", cut.Markup);
    }

    [Fact]
    public void Predictions_panel_shows_count_mean_quantiles_and_drift()
    {
        var cut = RenderPanel<PredictionsPanel>();

        Assert.NotNull(cut.Find("[data-testid=panel-predictions]"));
        Assert.Contains("12,345", cut.Find("[data-testid=pred-count]").TextContent);
        Assert.Contains("0.247", cut.Find("[data-testid=pred-mean]").TextContent);
        Assert.Contains("0.05 · 0.21 · 0.77", cut.Find("[data-testid=pred-quantiles]").TextContent);
        Assert.Contains("No drift", cut.Find("[data-testid=pred-drift]").TextContent);
        Assert.NotNull(cut.Find("[data-testid=pred-distribution]"));
    }

    [Fact]
    public void Performance_panel_shows_binary_metrics_coverage_and_a_confusion_matrix()
    {
        var cut = RenderPanel<PerformancePanel>();

        Assert.Contains("91.4 %", cut.Find("[data-testid=perf-headline]").TextContent);
        Assert.Contains("95 % CI 90.7 % – 92.1 %", cut.Find("[data-testid=perf-headline]").TextContent);
        Assert.Contains("0.762", cut.Find("[data-testid=perf-f1]").TextContent);
        Assert.Contains("0.943", cut.Find("[data-testid=perf-auc]").TextContent);
        Assert.Contains("48.6 %", cut.Find("[data-testid=perf-coverage]").TextContent);
        Assert.NotNull(cut.Find("[data-testid=perf-confusion]"));
    }

    [Fact]
    public void Performance_panel_without_labels_is_awaiting_labels_and_says_where_to_send_them()
    {
        var cut = RenderPanel<PerformancePanel>(SampleData.Summary(labeled: 0));

        Assert.Contains("Awaiting labels", cut.Markup);
        Assert.Contains("POST /api/v1/models/fraud-detector/labels", cut.Markup);
        Assert.Empty(cut.FindAll("[data-testid=perf-confusion]"));
    }

    [Fact]
    public void Performance_panel_shows_the_engines_reason_once_when_it_gives_one()
    {
        var summary = SampleData.Summary(labeled: 0);
        summary = summary with { Performance = summary.Performance with { Reason = "none of the 12,345 predictions has ground truth yet" } };

        var cut = RenderPanel<PerformancePanel>(summary);

        Assert.Contains("none of the 12,345 predictions has ground truth yet", cut.Markup);
        Assert.DoesNotContain("No prediction in this window has a label yet", cut.Markup);
    }

    [Fact]
    public void Latency_panel_shows_percentiles_against_the_slo_errors_and_system()
    {
        var cut = RenderPanel<LatencyPanel>();

        var p95 = cut.Find("[data-testid=lat-p95]");
        Assert.Contains("123 ms", p95.TextContent);
        Assert.Contains("SLO 200 ms", p95.TextContent);
        Assert.Contains("41.2 ms", cut.Find("[data-testid=lat-p50]").TextContent);
        Assert.Contains("251 ms", cut.Find("[data-testid=lat-p99]").TextContent);
        Assert.Contains("1.23 %", cut.Find("[data-testid=lat-errors]").TextContent);
        Assert.Contains("64 %", cut.Find("[data-testid=sys-cpu]").TextContent);
        Assert.Contains("2.0 GB", cut.Find("[data-testid=sys-memory]").TextContent);
    }

    [Fact]
    public void Latency_panel_marks_a_breached_slo()
    {
        var cut = RenderPanel<LatencyPanel>(SampleData.Summary(p95: 321));

        Assert.Contains("breached", cut.Find("[data-testid=panel-latency]").TextContent);
        Assert.Contains("stat-bad", cut.Find("[data-testid=lat-p95]").ClassName);
    }

    [Fact]
    public void Cost_panel_shows_spend_per_thousand_and_month_to_date_against_budget()
    {
        var cut = RenderPanel<CostPanel>();

        Assert.Contains("$12.34", cut.Find("[data-testid=cost-total]").TextContent);
        Assert.Contains("$1.00", cut.Find("[data-testid=cost-per-thousand]").TextContent);
        Assert.Contains("$321.50", cut.Find("[data-testid=cost-mtd]").TextContent);
        Assert.Contains("of $500.00 budget", cut.Find("[data-testid=cost-mtd]").TextContent);
        Assert.Contains("$612.30", cut.Find("[data-testid=cost-projected]").TextContent);
        Assert.Contains("$112.30 over budget", cut.Find("[data-testid=cost-projected]").TextContent);
        Assert.Contains("64 %", cut.Find("[data-testid=cost-budget]").TextContent);
    }

    [Fact]
    public void Cost_panel_without_a_budget_says_so()
    {
        var cut = RenderPanel<CostPanel>(SampleData.Summary(budget: null));

        Assert.Contains("no budget set", cut.Find("[data-testid=cost-mtd]").TextContent);
        Assert.Empty(cut.FindAll("[data-testid=cost-budget]"));
    }

    [Fact]
    public void Quality_panel_lists_rates_per_feature_worst_first()
    {
        var cut = RenderPanel<QualityPanel>();

        var rows = cut.FindAll("[data-testid=quality-table] tbody tr");
        Assert.Equal(2, rows.Count);
        Assert.Contains("amount", rows[0].TextContent);
        Assert.Contains("7.12 %", rows[0].TextContent);
        Assert.Contains("0.33 %", rows[0].TextContent);
        Assert.Contains("rate-bad", rows[0].InnerHtml);
        Assert.NotNull(cut.Find("[data-testid=quality-timeline]"));
    }
}
