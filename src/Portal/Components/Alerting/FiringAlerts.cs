using ModelWatch.Engine.Alerting;

namespace ModelWatch.Portal.Components.Alerting;

/// <summary>Firing alerts of one model: how many, and the worst severity among them.</summary>
public sealed record FiringSummary(int Count, string Severity, IReadOnlyDictionary<string, int> BySeverity)
{
    public static readonly FiringSummary None = new(0, "", new Dictionary<string, int>());
}

/// <summary>A stretch of time in which an alert fired (To is null while it still fires).</summary>
public sealed record AlertSpan(DateTimeOffset From, DateTimeOffset? To, string Severity, string Name);

/// <summary>Firing alerts by model, for badges, and the spans in which a model's alerts fired, for time charts.</summary>
public interface IFiringAlerts
{
    FiringSummary Of(string modelId);

    IReadOnlyList<AlertSpan> Spans(string modelId, DateTimeOffset since);
}

/// <summary>
/// Firing alerts per model for badges on fleet cards and model headers. One grouped query serves every badge on every
/// circuit for <see cref="MaxAge"/>, so a fleet of cards re-rendering four times a second does not query per card.
/// </summary>
public sealed class FiringAlerts(AlertStore alerts, TimeProvider clock) : IFiringAlerts
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(5);
    private static readonly string[] Worst = ["critical", "warning", "info"];
    private readonly Lock _gate = new();
    private IReadOnlyDictionary<string, FiringSummary> _byModel = new Dictionary<string, FiringSummary>();
    private DateTimeOffset _readAt = DateTimeOffset.MinValue;

    public FiringSummary Of(string modelId)
    {
        var now = clock.GetUtcNow();
        lock (_gate)
        {
            if (now - _readAt >= MaxAge)
            {
                _byModel = Read();
                _readAt = now;
            }
            return _byModel.GetValueOrDefault(modelId) ?? FiringSummary.None;
        }
    }

    public const int MaxSpans = 100;

    /// <summary>Alerts of the model that fired and were still firing after <paramref name="since"/>; pending ones never fired and are left out.</summary>
    public IReadOnlyList<AlertSpan> Spans(string modelId, DateTimeOffset since) =>
        alerts.List(new AlertFilter(Model: modelId, ResolvedSince: since, Limit: MaxSpans))
            .Where(a => a.Status != AlertRecord.Pending && a.StartsAt is not null)
            .Select(a => new AlertSpan(a.StartsAt!.Value, a.EndsAt, a.Severity, a.RuleName))
            .OrderBy(s => s.From)
            .ToList();

    private Dictionary<string, FiringSummary> Read() =>
        alerts.FiringByModel().GroupBy(r => r.Model, StringComparer.Ordinal).ToDictionary(g => g.Key, g =>
        {
            var bySeverity = g.ToDictionary(r => r.Severity, r => r.Count, StringComparer.Ordinal);
            var worst = Worst.FirstOrDefault(bySeverity.ContainsKey) ?? g.First().Severity;
            return new FiringSummary(g.Sum(r => r.Count), worst, bySeverity);
        }, StringComparer.Ordinal);
}
