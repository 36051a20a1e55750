namespace ModelWatch.Engine.Statistics.Drift;

/// <summary>
/// Survival function of the one-sample two-sided KS statistic D_n (scipy.stats.kstwo.sf), used for the
/// asymptotic two-sample p-value. Small n: Durbin's matrix method (Marsaglia, Tsang &amp; Wang 2003), exact.
/// Large n: the Pelz–Good (1976) expansion, within about 1e-5 of the exact value for n &gt; 140.
/// </summary>
internal static class KolmogorovDistribution
{
    private const int SmallN = 140;

    public static double Survival(long n, double x, int durbinMaxN = SmallN)
    {
        if (x >= 1.0) return 0.0;
        if (x <= 0.0) return 1.0;
        if (n * x <= 0.5) return 1.0; // D_n ≥ 1/(2n) always.

        var cdf = n <= durbinMaxN ? DurbinCdf((int)n, x) : PelzGoodCdf(n, x);
        return Math.Clamp(1.0 - cdf, 0.0, 1.0);
    }

    internal static double PelzGoodCdf(long n, double x)
    {
        var z = Math.Sqrt(n) * x;
        double z2 = z * z, z3 = z2 * z, z4 = z2 * z2, z6 = z4 * z2;
        var qlog = -Math.PI * Math.PI / 8 / z2;
        if (qlog < -708) return 0.0;

        var q = Math.Exp(qlog);
        const double pi2 = Math.PI * Math.PI;
        const double pi4 = pi2 * pi2;
        const double pi6 = pi4 * pi2;
        var k1a = -z2;
        var k1b = pi2 / 4;
        var k2a = 6 * z6 + 2 * z4;
        var k2b = (2 * z4 - 5 * z2) * pi2 / 4;
        var k2c = pi4 * (1 - 2 * z2) / 16;
        var k3d = pi6 * (5 - 30 * z2) / 64;
        var k3c = pi4 * (-60 * z2 + 212 * z4) / 16;
        var k3b = pi2 * (135 * z4 - 96 * z6) / 4;
        var k3a = -30 * z6 - 90 * Math.Pow(z, 8);

        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        var maxK = (int)Math.Ceiling(16 * z / Math.PI);
        for (var k = maxK; k > 0; k--)
        {
            // Horner scheme over odd m = 2k − 1 of Σ c_m q^(m²).
            double m = 2 * k - 1, m2 = m * m, m4 = m2 * m2, m6 = m4 * m2;
            var qPower = Math.Pow(q, 8 * k);
            s0 = s0 * qPower + 1.0;
            s1 = s1 * qPower + (k1a + k1b * m2);
            s2 = s2 * qPower + (k2a + k2b * m2 + k2c * m4);
            s3 = s3 * qPower + (k3a + k3b * m2 + k3c * m4 + k3d * m6);
        }

        var scale = q * Math.Sqrt(2 * Math.PI);
        s0 *= scale / z;
        s1 *= scale / (6 * z4);
        s2 *= scale / (72 * Math.Pow(z, 7));
        s3 *= scale / (6480 * Math.Pow(z, 10));

        var q2 = Math.Exp(-pi2 / 2 / z2);
        double extra2 = 0, extra3 = 0;
        var sqrt3z = Math.Sqrt(3) * z;
        for (var k = maxK; k > 0; k--)
        {
            double k2 = (double)k * k, kPi = Math.PI * k;
            var qPower = Math.Pow(q2, k2);
            extra2 += k2 * qPower;
            extra3 += (sqrt3z + kPi) * (sqrt3z - kPi) * k2 * qPower;
        }

        s2 += extra2 * pi2 * Math.Sqrt(2 * Math.PI) / (-36 * z3);
        s3 += extra3 * pi2 * Math.Sqrt(2 * Math.PI) / (216 * z6);

        var sqrtN = Math.Sqrt(n);
        return s0 + s1 / sqrtN + s2 / n + s3 / (n * sqrtN);
    }

    /// <summary>P(D_n &lt; d) by Durbin's matrix formula, with decimal exponent tracking against overflow.</summary>
    internal static double DurbinCdf(int n, double d)
    {
        var k = (int)(n * d) + 1;
        var size = 2 * k - 1;
        var h = k - n * d;
        var matrix = new double[size, size];
        for (var i = 0; i < size; i++)
        {
            for (var j = 0; j < size; j++)
            {
                matrix[i, j] = i - j + 1 < 0 ? 0 : 1;
            }
        }

        for (var i = 0; i < size; i++)
        {
            matrix[i, 0] -= Math.Pow(h, i + 1);
            matrix[size - 1, i] -= Math.Pow(h, size - i);
        }

        matrix[size - 1, 0] += 2 * h - 1 > 0 ? Math.Pow(2 * h - 1, size) : 0;
        for (var i = 0; i < size; i++)
        {
            for (var j = 0; j < size; j++)
            {
                for (var g = 1; g <= i - j + 1; g++)
                {
                    matrix[i, j] /= g;
                }
            }
        }

        var (power, exponent) = Power(matrix, n);
        var s = power[k - 1, k - 1];
        for (var i = 1; i <= n; i++)
        {
            s = s * i / n;
            if (s < 1e-140)
            {
                s *= 1e140;
                exponent -= 140;
            }
        }

        return s * Math.Pow(10, exponent);
    }

    private static (double[,] Value, int Exponent) Power(double[,] a, int n)
    {
        if (n == 1)
        {
            return ((double[,])a.Clone(), 0);
        }

        var (half, halfExponent) = Power(a, n / 2);
        var squared = Multiply(half, half);
        var exponent = 2 * halfExponent;
        var result = n % 2 == 0 ? squared : Multiply(a, squared);
        var size = result.GetLength(0);
        if (result[size / 2, size / 2] > 1e140)
        {
            for (var i = 0; i < size; i++)
            {
                for (var j = 0; j < size; j++)
                {
                    result[i, j] *= 1e-140;
                }
            }

            exponent += 140;
        }

        return (result, exponent);
    }

    private static double[,] Multiply(double[,] a, double[,] b)
    {
        var size = a.GetLength(0);
        var c = new double[size, size];
        for (var i = 0; i < size; i++)
        {
            for (var k = 0; k < size; k++)
            {
                var aik = a[i, k];
                if (aik == 0) continue;
                for (var j = 0; j < size; j++)
                {
                    c[i, j] += aik * b[k, j];
                }
            }
        }

        return c;
    }
}
