namespace ModelWatch.Engine.Bench;

/// <summary>
/// The benchmark data, bit-identical to scipy_drift.py: splitmix64 uniforms, each value the sum of four of them
/// (an approximately normal shape) using only + and ×, which IEEE 754 rounds the same in .NET and numpy.
/// </summary>
public static class SeededData
{
    public static double[] Values(ulong seed, int count, double scale, double shift)
    {
        var values = new double[count];
        for (var k = 0; k < count; k++)
        {
            var sum = 0.0;
            for (var j = 0; j < 4; j++) sum += Uniform(seed, (ulong)(4 * k + j));
            values[k] = (sum - 2.0) * scale + shift;
        }

        return values;
    }

    private static double Uniform(ulong seed, ulong index)
    {
        var z = seed + (index + 1) * 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return (z >> 11) * (1.0 / (1UL << 53));
    }
}
