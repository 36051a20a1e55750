using System.Diagnostics;
using BenchmarkDotNet.Running;
using ModelWatch.Engine.Bench;
using ModelWatch.Engine.Statistics.Drift;

// dotnet run -c Release --project bench/Engine.Bench -- --filter '*' --job short
// dotnet run -c Release --project bench/Engine.Bench -- --check   (same figures as scipy_drift.py prints)
if (args is ["--check"])
{
    var reference = SeededData.Values(1, NumericalDriftBenchmark.Size, 1.0, 0.0);
    var current = SeededData.Values(2, NumericalDriftBenchmark.Size, 1.1, 0.05);
    Console.WriteLine($"checksum reference[0..3] = [{reference[0]:R}, {reference[1]:R}, {reference[2]:R}]");
    var watch = Stopwatch.StartNew();
    var r = NumericalDrift.Compare(reference, current);
    watch.Stop();
    Console.WriteLine($"result (D, p, W, W/std, PSI, JS) = ({r.Ks!.Statistic:R}, {r.Ks.PValue:R}, {r.Wasserstein:R}, " +
                      $"{r.WassersteinNormalized:R}, {r.Psi:R}, {r.JensenShannon:R}) in {watch.Elapsed.TotalSeconds:F3} s (first call)");
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
