using System.Text.Json;
using ModelWatch.Engine.Access;
using ModelWatch.Engine.Registry;

namespace ModelWatch.Engine.Demo;

public sealed record DemoTeam(string Id, string Name);

public sealed record DemoUser(string Username, string DisplayName, string Role, IReadOnlyList<TeamMembership> Teams);

public sealed record DemoVersion(string Version, string HyperparametersJson, string TrainingData, string MetricsJson, string CreatedBy)
{
    public NewVersion ToRequest() => new(Version, Parse(HyperparametersJson), TrainingData, Parse(MetricsJson));

    private static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}

/// <summary>What serving a model costs and uses: the baseline of its operational samples and its hourly cost record.</summary>
public sealed record DemoInfrastructure(double CpuPercent, double MemoryMb, double GpuPercent, string CostItem, double CostPerHourUsd);

/// <summary>A demo model: its registration, versions, traffic profile and the generator of its events.</summary>
public sealed record DemoModel(
    string Id,
    string Name,
    string Task,
    string Team,
    IReadOnlyList<NewFeature> Features,
    double LatencySloMs,
    double MonthlyBudgetUsd,
    double TrafficShare,
    double MedianLatencyMs,
    double CostPerPredictionUsd,
    DemoInfrastructure Infrastructure,
    IReadOnlyList<DemoVersion> Versions,
    EventGenerator Generator)
{
    public NewModel ToRequest() => new(Id, Name, Task, Team, Features, LatencySloMs: LatencySloMs, MonthlyBudgetUsd: MonthlyBudgetUsd);
}

/// <summary>The demo world: three teams, four models and the people who work on them.</summary>
public static class DemoCatalog
{
    public const string PreviousVersion = "1.0.0";
    public const string LatestVersion = "1.1.0";
    /// <summary>Share of traffic served by <see cref="LatestVersion"/>; the rest still goes to the previous version.</summary>
    public const double LatestVersionShare = 0.8;
    public const int ReferenceRows = 2_000;

    public static IReadOnlyList<DemoTeam> Teams { get; } =
    [
        new("payments-risk", "Payments Risk"),
        new("growth-analytics", "Growth Analytics"),
        new("operations", "Operations"),
    ];

    public static IReadOnlyList<DemoUser> Users { get; } =
    [
        new("admin", "Administrator", Roles.Admin, []),
        new("dana", "Dana Whitfield", Roles.DataScientist, [new("payments-risk", "member"), new("growth-analytics", "lead")]),
        new("omar", "Omar Haddad", Roles.OpsEngineer, [new("payments-risk", "member"), new("operations", "lead")]),
        new("alice", "Alice Moreau", Roles.Auditor, []),
    ];

    public static IReadOnlyList<DemoModel> Models { get; } =
    [
        new("fraud-detector", "Fraud detector", ModelTaskNames.Binary, "payments-risk",
            [
                Numerical("amount", 0, 50_000),
                Categorical("merchant_category", FraudGenerator.MerchantCategories),
                Categorical("country", FraudGenerator.Countries),
                Numerical("hour_of_day", 0, 23),
                Numerical("card_age_days", 0, 3650),
                Numerical("txn_count_24h", 0, 200),
                Categorical("device_type", FraudGenerator.DeviceTypes),
            ],
            LatencySloMs: 50, MonthlyBudgetUsd: 2_000, TrafficShare: 0.40, MedianLatencyMs: 18, CostPerPredictionUsd: 0.00002,
            new DemoInfrastructure(35, 900, 0, "cpu-node-hour", 0.40),
            [
                new(PreviousVersion, """{"algorithm":"logistic-regression","C":1.0,"class_weight":"balanced"}""", "s3://payments-risk/fraud/train-2026-08.parquet", """{"auc":0.88,"accuracy":0.90,"f1":0.49}""", "dana"),
                new(LatestVersion, """{"algorithm":"gradient-boosting","n_estimators":400,"max_depth":6,"learning_rate":0.05}""", "s3://payments-risk/fraud/train-2026-10.parquet", """{"auc":0.90,"accuracy":0.91,"f1":0.50}""", "dana"),
            ],
            new FraudGenerator()),
        new("churn-predictor", "Churn predictor", ModelTaskNames.Binary, "growth-analytics",
            [
                Numerical("tenure_months", 0, 120),
                Numerical("monthly_spend", 0, 500),
                Categorical("plan", ChurnGenerator.Plans),
                Categorical("contract", ChurnGenerator.Contracts),
                Numerical("support_tickets_90d", 0, 50),
                Numerical("last_login_days", 0, 365),
                Categorical("payment_method", ChurnGenerator.PaymentMethods),
                Categorical("region", ChurnGenerator.Regions),
            ],
            LatencySloMs: 150, MonthlyBudgetUsd: 2_500, TrafficShare: 0.20, MedianLatencyMs: 45, CostPerPredictionUsd: 0.00005,
            new DemoInfrastructure(22, 1400, 0, "cpu-node-hour", 0.40),
            [
                new(PreviousVersion, """{"algorithm":"random-forest","n_estimators":200,"max_depth":10}""", "warehouse://growth/churn_snapshot_2026_07", """{"auc":0.87,"accuracy":0.81,"f1":0.66}""", "dana"),
                new(LatestVersion, """{"algorithm":"xgboost","n_estimators":600,"max_depth":5,"eta":0.03}""", "warehouse://growth/churn_snapshot_2026_10", """{"auc":0.89,"accuracy":0.83,"f1":0.69}""", "dana"),
            ],
            new ChurnGenerator()),
        new("demand-forecast", "Demand forecast", ModelTaskNames.Regression, "operations",
            [
                Categorical("store_id", DemandGenerator.Stores),
                Categorical("day_of_week", DemandGenerator.Days),
                Categorical("promo", DemandGenerator.YesNo),
                Categorical("holiday", DemandGenerator.YesNo),
                Numerical("temperature_c", -20, 45),
                Numerical("shelf_price", 0, 50),
                Numerical("last_week_units", 0, 5_000),
            ],
            LatencySloMs: 400, MonthlyBudgetUsd: 6_000, TrafficShare: 0.15, MedianLatencyMs: 120, CostPerPredictionUsd: 0.0002,
            new DemoInfrastructure(48, 2600, 0, "cpu-node-hour", 0.80),
            [
                new(PreviousVersion, """{"algorithm":"prophet","seasonality_mode":"multiplicative"}""", "warehouse://ops/store_sales_2024_2026", """{"mae":67.3,"rmse":99.0,"mape":0.125}""", "omar"),
                new(LatestVersion, """{"algorithm":"lightgbm","num_leaves":63,"n_estimators":800,"objective":"tweedie"}""", "warehouse://ops/store_sales_2024_2026_v2", """{"mae":55.9,"rmse":82.5,"mape":0.104}""", "omar"),
            ],
            new DemandGenerator()),
        new("ticket-router", "Ticket router", ModelTaskNames.Multiclass, "operations",
            [
                Numerical("text_length", 0, 5_000),
                Categorical("channel", TicketGenerator.Channels),
                Categorical("customer_tier", TicketGenerator.Tiers),
                Categorical("has_attachment", TicketGenerator.YesNo),
                Categorical("product_area", TicketGenerator.ProductAreas),
                Categorical("mentions_payment", TicketGenerator.YesNo),
                Categorical("language", TicketGenerator.Languages),
            ],
            LatencySloMs: 200, MonthlyBudgetUsd: 12_000, TrafficShare: 0.25, MedianLatencyMs: 65, CostPerPredictionUsd: 0.0002,
            new DemoInfrastructure(30, 5200, 55, "gpu-node-hour", 2.50),
            [
                new(PreviousVersion, """{"algorithm":"distilbert-finetuned","epochs":3,"max_seq_len":256}""", "s3://ops/tickets/labelled-2026-06", """{"accuracy":0.84,"macro_f1":0.81}""", "omar"),
                new(LatestVersion, """{"algorithm":"deberta-v3-small-finetuned","epochs":4,"max_seq_len":384}""", "s3://ops/tickets/labelled-2026-09", """{"accuracy":0.86,"macro_f1":0.84}""", "omar"),
            ],
            new TicketGenerator()),
    ];

    /// <summary>
    /// The repeating schedule, as fractions of the episode cycle (20 minutes by default): fraud drift 2–7 min,
    /// churn prediction shift 7–11, ticket-router latency spike 11–14, demand-forecast cost jump 14–19.
    /// </summary>
    public static IReadOnlyList<Episode> Episodes { get; } =
    [
        new("fraud-detector", EpisodeKind.FeatureDrift, StartFraction: 0.10, LengthFraction: 0.25, Description: "feature drift: larger amounts and more US/BR/NG traffic"),
        new("churn-predictor", EpisodeKind.PredictionShift, StartFraction: 0.35, LengthFraction: 0.20, Description: "prediction shift: churn scores pushed up"),
        new("ticket-router", EpisodeKind.LatencySpike, StartFraction: 0.55, LengthFraction: 0.15, Factor: 4, Description: "latency spike: ×4 latency and more errors"),
        new("demand-forecast", EpisodeKind.CostJump, StartFraction: 0.70, LengthFraction: 0.25, Factor: 3, Description: "cost jump: ×3 cost per prediction and per node hour"),
    ];

    private static NewFeature Numerical(string name, double min, double max) => new(name, "numerical", min, max);

    private static NewFeature Categorical(string name, IReadOnlyList<string> categories) => new(name, "categorical", Categories: categories);
}
