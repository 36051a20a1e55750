namespace ModelWatch.Engine.Demo;

/// <summary>Card transactions; fraud is likelier for large amounts, risky merchants and countries, night hours and new cards.</summary>
internal sealed class FraudGenerator : EventGenerator
{
    public static readonly string[] MerchantCategories = ["grocery", "restaurants", "fuel", "electronics", "travel", "gaming", "digital_goods"];
    private static readonly double[] MerchantWeights = [0.25, 0.18, 0.12, 0.12, 0.08, 0.10, 0.15];
    private static readonly double[] MerchantRisk = [-0.4, -0.3, -0.2, 0.8, 0.5, 0.9, 1.2];

    public static readonly string[] Countries = ["DE", "FR", "GB", "NL", "ES", "US", "BR", "NG"];
    private static readonly double[] CountryWeights = [0.35, 0.20, 0.15, 0.10, 0.10, 0.06, 0.02, 0.02];
    // During the drift episode traffic comes from a new market: more US, BR and NG.
    private static readonly double[] DriftedCountryWeights = [0.15, 0.10, 0.10, 0.05, 0.05, 0.25, 0.15, 0.15];
    private static readonly double[] CountryRisk = [-0.3, -0.2, -0.1, -0.3, 0.0, 0.3, 0.9, 1.4];

    public static readonly string[] DeviceTypes = ["mobile", "desktop", "pos"];
    private static readonly double[] DeviceWeights = [0.55, 0.30, 0.15];
    private static readonly double[] DeviceRisk = [0.1, 0.3, -0.6];

    public override DemoDraw Draw(Random random, bool latestVersion, DemoConditions conditions)
    {
        var drift = conditions.FeatureDrift;
        var amount = DemoRandom.Clamp(random.LogNormal(drift ? 190 : 55, drift ? 1.2 : 1.1), 0.5, 50_000);
        var merchant = random.Pick(MerchantWeights);
        var country = random.Pick(drift ? DriftedCountryWeights : CountryWeights);
        var hour = ((int)Math.Round(random.Normal(14, 5)) % 24 + 24) % 24;
        var cardAge = Math.Floor(DemoRandom.Clamp(random.Exponential(700), 0, 3650));
        var txnCount = Math.Min(200, Math.Round(random.LogNormal(3, 0.7)));
        var device = random.Pick(DeviceWeights);

        var logit = -4.2 + 1.6 * (
            0.9 * Math.Log(amount / 55)
            + MerchantRisk[merchant] + CountryRisk[country] + DeviceRisk[device]
            + (hour < 6 ? 1.0 : 0)
            + (cardAge < 30 ? 1.5 : cardAge < 180 ? 0.5 : 0)
            + 0.12 * (txnCount - 3));
        var label = random.Chance(DemoRandom.Sigmoid(logit)) ? 1.0 : 0.0;
        var score = DemoRandom.Sigmoid(logit + random.Normal(0, latestVersion ? 0.5 : 0.9));

        return new DemoDraw(
        [
            F("amount", amount),
            F("merchant_category", MerchantCategories[merchant]),
            F("country", Countries[country]),
            F("hour_of_day", hour, 0),
            F("card_age_days", cardAge, 0),
            F("txn_count_24h", txnCount, 0),
            F("device_type", DeviceTypes[device]),
        ], Math.Round(score, 5), label);
    }
}
