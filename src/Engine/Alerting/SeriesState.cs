namespace ModelWatch.Engine.Alerting;

/// <summary>Grafana's alert states, plus insufficient data: too few events or labels for a verdict.</summary>
public enum AlertState { Normal, Pending, Firing, Recovering, NoData, Error, InsufficientData }

public static class AlertStates
{
    public static string ToName(this AlertState state) => state switch
    {
        AlertState.Normal => "normal",
        AlertState.Pending => "pending",
        AlertState.Firing => "firing",
        AlertState.Recovering => "recovering",
        AlertState.NoData => "noData",
        AlertState.Error => "error",
        _ => "insufficientData",
    };

    public static AlertState Parse(string name) => name switch
    {
        "pending" => AlertState.Pending,
        "firing" => AlertState.Firing,
        "recovering" => AlertState.Recovering,
        "noData" => AlertState.NoData,
        "error" => AlertState.Error,
        "insufficientData" => AlertState.InsufficientData,
        _ => AlertState.Normal,
    };

    /// <summary>Pending, firing and recovering series have an alert row; the others do not.</summary>
    public static bool IsActive(this AlertState state) => state is AlertState.Pending or AlertState.Firing or AlertState.Recovering;
}

/// <summary>One sample a relative or band condition looks back on: unix milliseconds and the metric.</summary>
public readonly record struct HistorySample(long T, double V);

/// <summary>Which series: a rule on one model, and for a per-feature rule, one feature ("" when none).</summary>
public readonly record struct SeriesKey(string RuleId, string ModelId, string Feature);

/// <summary>The evaluator's memory of one series. Dirty marks what must be written back in this round.</summary>
public sealed class SeriesState
{
    public AlertState State { get; set; } = AlertState.Normal;
    public DateTimeOffset StateSince { get; set; }
    public long? ActiveAlert { get; set; }
    /// <summary>The last evaluations' verdicts as bits, newest in bit 0: the M-of-N window.</summary>
    public long Recent { get; set; }
    public int Evaluations { get; set; }
    public double? LastValue { get; set; }
    public string? LastError { get; set; }
    public string? LastThreshold { get; set; }
    public List<HistorySample> History { get; set; } = [];
    public bool Dirty { get; set; }
}
