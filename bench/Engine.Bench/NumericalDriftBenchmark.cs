using BenchmarkDotNet.Attributes;
using ModelWatch.Engine.Statistics.Drift;

namespace ModelWatch.Engine.Bench;

/// <summary>All four numerical statistics (KS with p-value, Wasserstein, PSI, Jensen–Shannon) on 1,000,000 vs 1,000,000 values.</summary>
[MemoryDiagnoser]
public class NumericalDriftBenchmark
{
    public const int Size = 1_000_000;

    private double[] _reference = [];
    private double[] _current = [];

    [GlobalSetup]
    public void Setup()
    {
        _reference = SeededData.Values(1, Size, 1.0, 0.0);
        _current = SeededData.Values(2, Size, 1.1, 0.05);
    }

    [Benchmark]
    public NumericalDriftResult Exact_drift_1M_vs_1M() => NumericalDrift.Compare(_reference, _current);
}
