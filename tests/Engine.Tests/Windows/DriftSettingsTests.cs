using ModelWatch.Engine.Access;
using ModelWatch.Engine.Audit;
using ModelWatch.Engine.Registry;
using ModelWatch.Engine.Windows;

namespace ModelWatch.Engine.Tests.Windows;

public sealed class DriftSettingsTests
{
    private static readonly Caller Admin = new("user:admin", Roles.Admin, new HashSet<string>(), new HashSet<string>());

    private static IEnumerable<(double, string, object, object?)> Baseline(int rows)
    {
        var random = new Random(1);
        string[] countries = ["DE", "FR", "US"];
        for (var i = 0; i < rows; i++) yield return (random.NextDouble() * 100, countries[random.Next(3)], random.NextDouble(), random.Next(2));
    }

    private static IEnumerable<Prediction> Traffic(int count, double shift, string prefix, DateTimeOffset? at = null)
    {
        var random = new Random(prefix.Length); // string hash codes differ per process; the data must not
        string[] countries = ["DE", "FR", "US"];
        return Enumerable.Range(0, count).Select(i => new Prediction(prefix + i, random.NextDouble() * 100 + shift, countries[random.Next(3)], random.NextDouble(), At: at));
    }

    [Fact]
    public async Task A_feature_threshold_overrides_the_models_decision_for_that_feature_only()
    {
        await using var h = await WindowHarness.StartAsync();
        var model = h.Model(ModelTask.BinaryClassification);
        await h.ReferenceAsync(model, Baseline(2_000));
        await h.PredictAsync(model, Traffic(2_000, shift: 30, "p-"));
        Assert.True(h.Summaries.GetSummary(model.Id, SummaryWindow.OneHour)!.Drift.Features.Single(f => f.Feature == "amount").Drifted);

        var set = h.DriftSettings.Set(model, new DriftSettings(Features: new Dictionary<string, FeatureThresholds> { ["amount"] = new(WassersteinNormalizedThreshold: 5) }), Admin, "amount is volatile by nature");
        Assert.True(set.IsOk);

        var amount = h.Summaries.GetSummary(model.Id, SummaryWindow.OneHour)!.Drift.Features.Single(f => f.Feature == "amount");
        Assert.False(amount.Drifted);
        Assert.Equal(5, amount.Threshold);
        Assert.Equal(0.1, h.Summaries.GetSummary(model.Id, SummaryWindow.OneHour)!.Drift.Features.Single(f => f.Feature == "country").Threshold);
    }

    [Fact]
    public async Task An_earlier_production_window_can_be_the_reference()
    {
        await using var h = await WindowHarness.StartAsync();
        var model = h.Model(ModelTask.BinaryClassification);
        await h.ReferenceAsync(model, Baseline(2_000)); // sets the bin edges
        var start = h.Clock.GetUtcNow();
        await h.PredictAsync(model, Traffic(2_000, shift: 40, "earlier-", start));
        h.Clock.Advance(TimeSpan.FromMinutes(30));
        await h.PredictAsync(model, Traffic(2_000, shift: 40, "now-"));
        Assert.True(h.Summaries.GetSummary(model.Id, SummaryWindow.FiveMinutes)!.Drift.Features.Single(f => f.Feature == "amount").Drifted); // against the baseline

        var window = new DriftReference(DriftReference.Window, start.AddMinutes(-1), start.AddMinutes(2));
        Assert.True(h.DriftSettings.Set(model, new DriftSettings(Reference: window), Admin, "last week's traffic is the new normal").IsOk);
        var summary = h.Summaries.GetSummary(model.Id, SummaryWindow.FiveMinutes)!;

        Assert.StartsWith("production window", summary.Drift.Reference);
        var amount = summary.Drift.Features.Single(f => f.Feature == "amount");
        Assert.False(amount.Drifted, $"{amount.Method} {amount.Value}");
        Assert.Equal(2_000, amount.ReferenceSize);
    }

    [Fact]
    public async Task Invalid_settings_are_refused_naming_each_field()
    {
        await using var h = await WindowHarness.StartAsync();
        var model = h.Model(ModelTask.BinaryClassification);
        var now = h.Clock.GetUtcNow();

        var outcome = h.DriftSettings.Set(model, new DriftSettings(
            Reference: new DriftReference(DriftReference.Window, now.AddDays(-120), now.AddDays(-119)), // beyond the hour tier's 90 days
            PValueThreshold: 1.5, PsiModerate: 0.3, PsiSignificant: 0.2,
            Features: new Dictionary<string, FeatureThresholds> { ["colour"] = new(PValueThreshold: 0.01) }), Admin, "typo");

        Assert.Equal(OutcomeKind.Invalid, outcome.Kind);
        Assert.Equal(["pValueThreshold", "psiSignificant", "features.colour", "reference.from"], outcome.Errors.Select(e => e.Field).ToArray());
        Assert.Equal(DriftSettings.Default, h.DriftSettings.Get(model));
    }

    [Fact]
    public async Task A_change_is_audited_with_before_after_and_reason_and_kept_across_restarts()
    {
        await using var h = await WindowHarness.StartAsync();
        var model = h.Model(ModelTask.BinaryClassification);

        Assert.True(h.DriftSettings.Set(model, new DriftSettings(DatasetDriftShare: 0.3), Admin, "stricter after the incident").IsOk);

        var entry = h.Audit.Read(new AuditFilter(Model: model.Id, Action: AuditActions.DriftSettingsChanged), long.MaxValue).Single();
        Assert.Equal("user:admin", entry.Actor);
        Assert.Equal("stricter after the incident", entry.Reason);
        Assert.Contains("0.3", entry.After);
        Assert.True(h.Audit.Verify().Valid);
        var reread = new DriftSettingsStore(h.Database.Connections, h.Audit, h.Clock).Get(model);
        Assert.Equal(0.3, reread.DatasetDriftShare);
    }

    [Fact]
    public async Task An_auditor_or_another_team_may_not_change_them()
    {
        await using var h = await WindowHarness.StartAsync();
        var model = h.Model(ModelTask.BinaryClassification);
        var auditor = new Caller("user:alice", Roles.Auditor, new HashSet<string>(), new HashSet<string>());
        var stranger = new Caller("user:omar", Roles.OpsEngineer, new HashSet<string> { "operations" }, new HashSet<string>());

        Assert.Equal(OutcomeKind.Forbidden, h.DriftSettings.Set(model, DriftSettings.Default, auditor, "x").Kind);
        Assert.Equal(OutcomeKind.Forbidden, h.DriftSettings.Set(model, DriftSettings.Default, stranger, "x").Kind);
    }
}
