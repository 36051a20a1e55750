using System.Globalization;
using System.Text;
using ModelWatch.Engine.Registry;
using ModelWatch.Engine.Windows;

namespace ModelWatch.Portal.Api;

/// <summary>The model card of an evidence pack: owners, versions, aliases, approvals and the last day's monitoring status.</summary>
public sealed record ModelCard(
    string Model, string Name, string Task, string? Team, string? OnCall, string? Escalation, DateTimeOffset RegisteredAt,
    double DecisionThreshold, double? LatencySloMs, double? MonthlyBudgetUsd,
    IReadOnlyList<OwnershipChange> OwnershipHistory, IReadOnlyList<RegistryVersionResponse> Versions, IReadOnlyList<VersionAlias> Aliases,
    IReadOnlyList<AliasRequest> AliasRequests, MonitoringStatus? Monitoring, DateTimeOffset GeneratedAt, string GeneratedBy)
{
    public static ModelCard Build(ModelDefinition model, ModelOwnership ownership, IReadOnlyList<RegistryVersion> versions, IReadOnlyList<VersionAlias> aliases,
        IReadOnlyList<AliasRequest> requests, ModelSummary? summary, DateTimeOffset now, string actor) =>
        new(model.Id, model.Name, model.Task.ToName(), ownership.Team, ownership.OnCall, ownership.Escalation, model.CreatedAt,
            model.DecisionThreshold, model.LatencySloMs, model.MonthlyBudgetUsd, ownership.History, versions.Select(RegistryVersionResponse.From).ToList(),
            aliases, requests, summary is null ? null : MonitoringStatus.From(summary), now, actor);

    public static string Markdown(ModelCard c)
    {
        var s = new StringBuilder();
        void Line(string text = "") => s.Append(text).Append('\n');
        string T(DateTimeOffset? at) => at?.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) ?? "—";
        string N(double? v, string format = "0.####") => v?.ToString(format, CultureInfo.InvariantCulture) ?? "—";
        static string E(string? text) => MarkdownText.Escape(text);
        Line($"# Model card: {E(c.Name)} ({E(c.Model)})");
        Line();
        Line($"Generated {T(c.GeneratedAt)} by {E(c.GeneratedBy)}. Task: {E(c.Task)}. Registered {T(c.RegisteredAt)}.");
        Line();
        Line("## Ownership");
        Line($"- Owner team: {(c.Team is null ? "**none**" : E(c.Team))}");
        Line($"- On call: {(c.OnCall is null ? "**none**" : E(c.OnCall))}");
        Line($"- Escalation: {(c.Escalation is null ? "—" : E(c.Escalation))}");
        foreach (var h in c.OwnershipHistory) Line($"- {T(h.ChangedAt)}: {E(h.FromTeam ?? "(none)")} → {E(h.ToTeam ?? "(none)")} by {E(h.ChangedBy)}: {E(h.Reason)}");
        Line();
        Line("## Versions");
        Line("| version | created | by | aliases | archived | reference rows |");
        Line("|---|---|---|---|---|---|");
        foreach (var v in c.Versions) Line($"| {E(v.Version)} | {T(v.CreatedAt)} | {E(v.CreatedBy ?? "—")} | {E(string.Join(", ", v.Aliases))} | {(v.Archived ? T(v.ArchivedAt) : "no")} | {v.ReferenceRows} |");
        Line();
        Line("## Alias requests and approvals");
        foreach (var r in c.AliasRequests)
            Line($"- #{r.Id} {E(r.Alias)} → {E(r.Version)}, requested by {E(r.RequestedBy)} {T(r.RequestedAt)} (\"{E(r.Reason)}\"): **{E(r.Status)}**" +
                 (r.DecidedBy is null ? "" : $" by {E(r.DecidedBy)} {T(r.DecidedAt)}{(r.DecisionReason is null ? "" : $" (\"{E(r.DecisionReason)}\")")}"));
        if (c.AliasRequests.Count == 0) Line("- none");
        Line();
        Line("## Monitoring, last 24 hours");
        if (c.Monitoring is not { } m) { Line("No data."); return s.ToString(); }
        Line($"- Predictions: {m.Predictions}, labelled: {m.Labeled}");
        Line($"- Drift against {E(m.DriftReference)}: {(m.DatasetDrift ? "**dataset drift**" : "no dataset drift")} ({m.DriftedFeatures.Count} of {m.EvaluatedFeatures} features: {E(string.Join(", ", m.DriftedFeatures))})");
        Line($"- Performance: {E(m.PerformanceHeadline)}");
        Line($"- Latency p50 / p95 / p99: {N(m.LatencyP50Ms, "0.#")} / {N(m.LatencyP95Ms, "0.#")} / {N(m.LatencyP99Ms, "0.#")} ms (SLO {N(m.LatencySloMs)} ms{(m.LatencySloBreached == true ? ", **breached**" : "")})");
        Line($"- Cost: {N(m.CostUsd, "0.00")} USD in the window, {N(m.MonthToDateUsd, "0.00")} USD month to date, projected {N(m.ProjectedMonthEndUsd, "0.00")} of budget {N(m.MonthlyBudgetUsd, "0.00")}");
        return s.ToString();
    }
}

/// <summary>The headline figures of <see cref="ModelSummary"/> an auditor needs, plus the full summary for detail.</summary>
public sealed record MonitoringStatus(
    string Window, DateTimeOffset ComputedAt, long Predictions, long Labeled, string DriftReference, bool DatasetDrift, int EvaluatedFeatures,
    IReadOnlyList<string> DriftedFeatures, string PerformanceHeadline, double? LatencyP50Ms, double? LatencyP95Ms, double? LatencyP99Ms,
    double? LatencySloMs, bool? LatencySloBreached, double CostUsd, double MonthToDateUsd, double? ProjectedMonthEndUsd, double? MonthlyBudgetUsd,
    ModelSummary Summary)
{
    public static MonitoringStatus From(ModelSummary s) => new(
        s.Window, s.ComputedAt, s.Traffic.Predictions, s.Performance.Labeled, s.Drift.Reference, s.Drift.DatasetDrift, s.Drift.EvaluatedCount,
        s.Drift.Features.Where(f => f.Drifted).Select(f => f.Feature).ToList(), Headline(s.Performance),
        s.Latency.P50, s.Latency.P95, s.Latency.P99, s.Latency.SloMs, s.Latency.SloBreached,
        s.Cost.Total, s.Cost.MonthToDate, s.Cost.ProjectedMonthEnd, s.Cost.MonthlyBudget, s);

    private static string Headline(PerformanceSummary p)
    {
        static string F(double? v) => v?.ToString("0.###", CultureInfo.InvariantCulture) ?? "—";
        if (p.Binary is { } b) return $"accuracy {F(b.Accuracy)}, F1 {F(b.F1)}, ROC AUC {F(b.RocAuc)}";
        if (p.Multiclass is { } m) return $"accuracy {F(m.Accuracy)}, macro F1 {F(m.MacroF1)}";
        if (p.Regression is { } r) return $"MAE {F(r.Mae)}, RMSE {F(r.Rmse)}, R² {F(r.R2)}";
        return p.Reason ?? "no labelled predictions";
    }
}
