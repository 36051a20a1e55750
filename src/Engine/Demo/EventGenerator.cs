namespace ModelWatch.Engine.Demo;

/// <summary>The episode effects a generator reacts to when it draws an event.</summary>
public sealed record DemoConditions(bool FeatureDrift = false, bool PredictionShift = false)
{
    public static readonly DemoConditions Normal = new();
}

/// <summary>
/// One simulated prediction: the features as a sender would post them, the model's output and the ground truth.
/// Values are <see cref="double"/> or <see cref="string"/>; the label is a number (binary 0/1, regression) or a class name.
/// </summary>
public sealed record DemoDraw(List<KeyValuePair<string, object>> Features, object Prediction, object Label, IReadOnlyDictionary<string, double>? Probabilities = null);

/// <summary>
/// Draws events for one demo model: features from the model's population, the label from a ground-truth process
/// over those features, and the prediction from a noisy estimate of that process (so accuracy and AUC are plausible).
/// </summary>
public abstract class EventGenerator
{
    /// <param name="latestVersion">The newer version is the better model: less noise in its estimate.</param>
    public abstract DemoDraw Draw(Random random, bool latestVersion, DemoConditions conditions);

    protected static KeyValuePair<string, object> F(string name, double value, int decimals = 2) => new(name, Math.Round(value, decimals));

    protected static KeyValuePair<string, object> F(string name, string value) => new(name, value);
}
