namespace ModelWatch.Engine.Demo;

/// <summary>
/// Support tickets: the true class is drawn first and the features from class-conditional tables; the model's
/// probabilities are the Bayes posterior of those tables plus noise, so it is right most of the time, not always.
/// </summary>
internal sealed class TicketGenerator : EventGenerator
{
    public static readonly string[] Classes = ["billing", "technical", "account", "sales"];
    private static readonly double[] Prior = [0.30, 0.35, 0.20, 0.15];
    private static readonly double[] TextLengthMedian = [300, 1100, 180, 650];
    private const double TextLengthSigma = 0.5;

    public static readonly string[] Channels = ["email", "chat", "phone", "web_form"];
    public static readonly string[] Tiers = ["free", "pro", "enterprise"];
    public static readonly string[] YesNo = ["yes", "no"];
    public static readonly string[] ProductAreas = ["app", "api", "dashboard", "mobile", "none"];
    public static readonly string[] Languages = ["en", "de", "fr", "es"];
    private static readonly double[] LanguageWeights = [0.6, 0.2, 0.1, 0.1];

    // Rows follow Classes: billing, technical, account, sales.
    private static readonly double[][] ChannelTable = [[0.40, 0.25, 0.20, 0.15], [0.30, 0.35, 0.10, 0.25], [0.30, 0.30, 0.25, 0.15], [0.25, 0.15, 0.45, 0.15]];
    private static readonly double[][] TierTable = [[0.30, 0.50, 0.20], [0.40, 0.40, 0.20], [0.50, 0.35, 0.15], [0.70, 0.20, 0.10]];
    private static readonly double[][] AttachmentTable = [[0.50, 0.50], [0.45, 0.55], [0.10, 0.90], [0.15, 0.85]];
    private static readonly double[][] AreaTable = [[0.03, 0.02, 0.10, 0.03, 0.82], [0.30, 0.35, 0.15, 0.17, 0.03], [0.30, 0.03, 0.25, 0.30, 0.12], [0.04, 0.04, 0.12, 0.04, 0.76]];
    private static readonly double[][] PaymentTable = [[0.85, 0.15], [0.04, 0.96], [0.15, 0.85], [0.40, 0.60]];

    public override DemoDraw Draw(Random random, bool latestVersion, DemoConditions conditions)
    {
        var truth = random.Pick(Prior);
        var length = Math.Round(DemoRandom.Clamp(random.LogNormal(TextLengthMedian[truth], TextLengthSigma), 10, 5000));
        var channel = random.Pick(ChannelTable[truth]);
        var tier = random.Pick(TierTable[truth]);
        var attachment = random.Pick(AttachmentTable[truth]);
        var area = random.Pick(AreaTable[truth]);
        var payment = random.Pick(PaymentTable[truth]);
        var language = random.Pick(LanguageWeights);

        var noise = latestVersion ? 0.4 : 0.9;
        Span<double> logits = stackalloc double[Classes.Length];
        var max = double.NegativeInfinity;
        for (var c = 0; c < Classes.Length; c++)
        {
            var z = (Math.Log(length) - Math.Log(TextLengthMedian[c])) / TextLengthSigma;
            logits[c] = Math.Log(Prior[c]) - 0.5 * z * z
                + Math.Log(ChannelTable[c][channel]) + Math.Log(TierTable[c][tier]) + Math.Log(AttachmentTable[c][attachment])
                + Math.Log(AreaTable[c][area]) + Math.Log(PaymentTable[c][payment])
                + random.Normal(0, noise);
            max = Math.Max(max, logits[c]);
        }
        var sum = 0.0;
        for (var c = 0; c < Classes.Length; c++) sum += logits[c] = Math.Exp(logits[c] - max);
        var probabilities = new Dictionary<string, double>(Classes.Length);
        var best = 0;
        for (var c = 0; c < Classes.Length; c++)
        {
            probabilities[Classes[c]] = Math.Round(logits[c] / sum, 4);
            if (logits[c] > logits[best]) best = c;
        }

        return new DemoDraw(
        [
            F("text_length", length, 0),
            F("channel", Channels[channel]),
            F("customer_tier", Tiers[tier]),
            F("has_attachment", YesNo[attachment]),
            F("product_area", ProductAreas[area]),
            F("mentions_payment", YesNo[payment]),
            F("language", Languages[language]),
        ], Classes[best], Classes[truth], probabilities);
    }
}
