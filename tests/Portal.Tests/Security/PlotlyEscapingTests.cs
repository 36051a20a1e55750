using ModelWatch.Engine.Windows;
using ModelWatch.Portal.Components.ViewModels;
using Plotly.Blazor.Traces;

namespace ModelWatch.Portal.Tests.Security;

/// <summary>
/// Finding 15: Plotly turns &lt;a href&gt;, &lt;b&gt; and &lt;br&gt; inside labels into markup, so a client that names a
/// category, class or feature "&lt;a href=…&gt;PHISH&lt;/a&gt;" would plant a link in every viewer's chart. Every
/// data-derived string reaches Plotly HTML-escaped, which Plotly decodes back into plain text.
/// </summary>
public sealed class PlotlyEscapingTests
{
    private const string Phish = "<a href=\"https://evil.example/login\">PHISH</a>";
    private const string Escaped = "&lt;a href=&quot;https://evil.example/login&quot;&gt;PHISH&lt;/a&gt;";

    [Fact]
    public void A_category_with_a_link_reaches_the_drift_bars_as_text()
    {
        var traces = Charts.Comparison(new DistributionComparison([Phish, "DE"], [0.5, 0.5], [0.9, 0.1]), referenceName: Phish);

        foreach (var bar in traces.Cast<Bar>())
        {
            Assert.Equal([Escaped, "DE"], bar.X.Cast<string>());
            Assert.DoesNotContain(bar.X.Cast<string>(), x => x.Contains('<', StringComparison.Ordinal));
        }
        Assert.Equal(Escaped, ((Bar)traces[0]).Name);
    }

    [Fact]
    public void A_class_name_with_a_link_reaches_the_confusion_matrix_as_text()
    {
        var heatmap = (HeatMap)Charts.ConfusionHeatmap(new ConfusionMatrixView([Phish, "billing"], [[1, 2], [3, 4]])).Single();

        Assert.Equal([Escaped, "billing"], heatmap.X.Cast<string>());
        Assert.Equal([Escaped, "billing"], heatmap.Y.Cast<string>());
    }

    [Fact]
    public void A_feature_name_with_markup_reaches_series_names_axis_titles_and_span_labels_as_text()
    {
        var series = (Scatter)Charts.TimeTraces([new SeriesSpec(Phish, _ => 1)], []).Single();
        var category = Charts.CategoryLayout(Phish, "<b>share</b>");
        var time = Charts.TimeLayout(Phish, y2Title: "<br>x");
        var span = Charts.Span(DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddMinutes(1), Phish);

        Assert.Equal(Escaped, series.Name);
        Assert.Equal(Escaped, category.XAxis[0].Title.Text);
        Assert.Equal("&lt;b&gt;share&lt;/b&gt;", category.YAxis[0].Title.Text);
        Assert.Equal(Escaped, time.YAxis[0].Title.Text);
        Assert.Equal("&lt;br&gt;x", time.YAxis[1].Title.Text);
        Assert.Equal(Escaped, span.Label.Text);
    }
}
