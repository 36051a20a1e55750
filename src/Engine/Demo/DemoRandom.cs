namespace ModelWatch.Engine.Demo;

/// <summary>The few distributions the simulator draws from, on a caller-owned (seeded) <see cref="Random"/>.</summary>
internal static class DemoRandom
{
    public static double Normal(this Random random, double mean = 0, double sd = 1)
    {
        // Box–Muller; 1 − NextDouble() keeps the logarithm's argument in (0, 1].
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return mean + sd * Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>A log-normal value with the given median; <paramref name="sigma"/> is the sd of its logarithm.</summary>
    public static double LogNormal(this Random random, double median, double sigma) => median * Math.Exp(random.Normal(0, sigma));

    public static double Exponential(this Random random, double mean) => -mean * Math.Log(1.0 - random.NextDouble());

    public static bool Chance(this Random random, double probability) => random.NextDouble() < probability;

    public static double Uniform(this Random random, double min, double max) => min + (max - min) * random.NextDouble();

    /// <summary>Knuth's method; fine for the small rates used here.</summary>
    public static int Poisson(this Random random, double lambda)
    {
        var limit = Math.Exp(-lambda);
        var k = 0;
        var p = random.NextDouble();
        while (p > limit)
        {
            k++;
            p *= random.NextDouble();
        }
        return k;
    }

    /// <summary>An index drawn with probability proportional to its weight.</summary>
    public static int Pick(this Random random, ReadOnlySpan<double> weights)
    {
        var total = 0.0;
        foreach (var w in weights) total += w;
        var x = random.NextDouble() * total;
        for (var i = 0; i < weights.Length; i++)
        {
            x -= weights[i];
            if (x < 0) return i;
        }
        return weights.Length - 1;
    }

    public static double Sigmoid(double x) => 1.0 / (1.0 + Math.Exp(-x));

    public static double Clamp(double value, double min, double max) => Math.Min(max, Math.Max(min, value));
}
