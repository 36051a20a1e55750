namespace ModelWatch.Engine.Tests.Statistics.Sketches;

/// <summary>The shapes the sketch accuracy is stated for: each a reference and a current generator.</summary>
internal static class SketchData
{
    public static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    public static readonly string[] Shapes =
        ["normal-shift", "normal-same", "offset-normal", "offset-normal-shift", "lognormal", "lognormal-shift", "bimodal", "integer", "integer-shift", "constant", "wide-signed"];

    public static (double[] Reference, double[] Current) Samples(string shape, int referenceSize, int currentSize, int seed)
    {
        var random = new Random(seed);
        Func<double> r, c;
        switch (shape)
        {
            case "normal-shift": r = () => Normal(random); c = () => Normal(random) + 0.3; break;
            case "normal-same": r = () => Normal(random); c = () => Normal(random); break;
            // The trap for a fixed-α DDSketch: all mass within 0.5 % of 1000.
            case "offset-normal": r = () => 1000 + Normal(random); c = () => 1000 + Normal(random); break;
            case "offset-normal-shift": r = () => 1000 + Normal(random); c = () => 1000.2 + 1.2 * Normal(random); break;
            case "lognormal": r = () => Math.Exp(Normal(random)); c = () => Math.Exp(Normal(random)); break;
            case "lognormal-shift": r = () => Math.Exp(Normal(random)); c = () => Math.Exp(0.3 + 1.2 * Normal(random)); break;
            case "bimodal":
                r = () => random.Next(2) == 0 ? Normal(random) : 5 + Normal(random);
                c = () => random.Next(4) == 0 ? Normal(random) : 5 + Normal(random);
                break;
            case "integer": r = () => Math.Round(Math.Exp(3 + 0.7 * Normal(random))); c = () => Math.Round(Math.Exp(3 + 0.7 * Normal(random))); break;
            case "integer-shift": r = () => random.Next(0, 500); c = () => random.Next(50, 600); break;
            case "constant": r = () => 7.5; c = () => random.Next(10) == 0 ? 8 : 7.5; break;
            default: r = () => 1e3 * Normal(random) * Math.Exp(2 * Normal(random)); c = () => 1.1e3 * Normal(random) * Math.Exp(2 * Normal(random)); break;
        }
        return (Enumerable.Range(0, referenceSize).Select(_ => r()).ToArray(), Enumerable.Range(0, currentSize).Select(_ => c()).ToArray());
    }
}
