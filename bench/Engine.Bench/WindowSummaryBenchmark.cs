using BenchmarkDotNet.Attributes;
using ModelWatch.Engine.Statistics.Drift;
using ModelWatch.Engine.Statistics.Latency;

namespace ModelWatch.Engine.Bench;

/// <summary>
/// The statistics part of a 1-hour window summary: for 50 numerical features, merge 60 minute histograms and compute
/// binned drift against the reference histogram; merge 60 latency sketches and read p50/p90/p95/p99.
/// </summary>
[MemoryDiagnoser]
public class WindowSummaryBenchmark
{
    public const int Features = 50;
    public const int Minutes = 60;
    public const int EventsPerMinute = 500;

    private BinEdges[] _edges = [];
    private FixedBinHistogram[] _references = [];
    private FixedBinHistogram[][] _minuteHistograms = [];
    private LatencySketch[] _minuteSketches = [];

    [GlobalSetup]
    public void Setup()
    {
        _edges = new BinEdges[Features];
        _references = new FixedBinHistogram[Features];
        _minuteHistograms = new FixedBinHistogram[Features][];
        for (var f = 0; f < Features; f++)
        {
            var reference = SeededData.Values((ulong)(100 + f), 20_000, 1.0 + f * 0.01, f);
            _edges[f] = BinEdges.FromReference(reference)!;
            _references[f] = FixedBinHistogram.Of(_edges[f], reference);
            _minuteHistograms[f] = Enumerable.Range(0, Minutes)
                .Select(m => FixedBinHistogram.Of(_edges[f],
                    SeededData.Values((ulong)(10_000 + f * Minutes + m), EventsPerMinute, 1.1, f + 0.05)))
                .ToArray();
        }

        _minuteSketches = Enumerable.Range(0, Minutes).Select(m =>
        {
            var sketch = new LatencySketch();
            foreach (var v in SeededData.Values((ulong)(50_000 + m), EventsPerMinute, 20, 50)) sketch.Add(v);
            return sketch;
        }).ToArray();
    }

    [Benchmark]
    public double Window_of_50_features_from_60_minute_buckets()
    {
        var total = 0.0;
        for (var f = 0; f < Features; f++)
        {
            var window = FixedBinHistogram.Merge(_edges[f], _minuteHistograms[f]);
            total += BinnedDrift.Compare(_references[f], window).Value ?? 0;
        }

        var latency = LatencySketch.Merge(_minuteSketches).Summarise();
        return total + (latency.P99 ?? 0);
    }
}
