namespace ModelWatch.Engine.Demo;

/// <summary>Subscribers; churn is likelier with short tenure, many support tickets, long absence and monthly contracts.</summary>
internal sealed class ChurnGenerator : EventGenerator
{
    public static readonly string[] Plans = ["basic", "standard", "premium", "family"];
    private static readonly double[] PlanWeights = [0.35, 0.35, 0.20, 0.10];
    private static readonly double[] PlanRisk = [0.3, 0.0, -0.3, -0.5];
    public static readonly string[] Contracts = ["monthly", "annual"];
    public static readonly string[] PaymentMethods = ["card", "paypal", "invoice", "direct_debit"];
    private static readonly double[] PaymentWeights = [0.50, 0.20, 0.15, 0.15];
    private static readonly double[] PaymentRisk = [0.0, 0.1, 0.4, -0.3];
    public static readonly string[] Regions = ["north", "south", "east", "west"];

    /// <summary>How far the prediction-shift episode pushes the model's logit up (a stale feature cache over-predicts churn).</summary>
    public const double ShiftLogit = 1.6;

    public override DemoDraw Draw(Random random, bool latestVersion, DemoConditions conditions)
    {
        var tenure = Math.Floor(DemoRandom.Clamp(random.Exponential(26), 0, 120));
        var spend = DemoRandom.Clamp(random.LogNormal(45, 0.5), 0, 500);
        var plan = random.Pick(PlanWeights);
        var monthly = random.Chance(0.6);
        var tickets = Math.Min(50, random.Poisson(1.2));
        var lastLogin = Math.Floor(DemoRandom.Clamp(random.Exponential(9), 0, 365));
        var payment = random.Pick(PaymentWeights);
        var region = random.Next(Regions.Length);

        var logit = -2.2 + 1.6 * (
            -0.05 * tenure
            + 0.5 * tickets
            + 0.07 * lastLogin
            + (monthly ? 0.9 : -0.8)
            + PlanRisk[plan] + PaymentRisk[payment]
            + 0.004 * (spend - 45));
        var label = random.Chance(DemoRandom.Sigmoid(logit)) ? 1.0 : 0.0;
        var score = DemoRandom.Sigmoid(logit + random.Normal(0, latestVersion ? 0.5 : 0.9) + (conditions.PredictionShift ? ShiftLogit : 0));

        return new DemoDraw(
        [
            F("tenure_months", tenure, 0),
            F("monthly_spend", spend),
            F("plan", Plans[plan]),
            F("contract", Contracts[monthly ? 0 : 1]),
            F("support_tickets_90d", tickets, 0),
            F("last_login_days", lastLogin, 0),
            F("payment_method", PaymentMethods[payment]),
            F("region", Regions[region]),
        ], Math.Round(score, 5), label);
    }
}
