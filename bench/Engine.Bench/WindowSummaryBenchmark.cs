using BenchmarkDotNet.Attributes;
using ModelWatch.Engine.Statistics.Drift;
using ModelWatch.Engine.Statistics.Latency;
using ModelWatch.Engine.Statistics.Sketches;

namespace ModelWatch.Engine.Bench;

/// <summary>
/// The statistics part of a window summary: for 50 numerical features, merge the minute sketches (60 for 1 h, 1,440
/// for 24 h) and re-bin the merged sketch against the reference (KS, Wasserstein, reference-quantile PSI and JS);
/// merge the latency sketches and read p50/p90/p95/p99.
/// </summary>
[MemoryDiagnoser]
public class WindowSummaryBenchmark
{
    public const int Features = 50;

    [Params(60, 1_440)]
    public int Minutes { get; set; }

    [Params(1, 500)]
    public int EventsPerMinute { get; set; }

    private BinEdges[] _edges = [];
    private NumericSketch[] _references = [];
    private NumericSketch[][] _minuteSketches = [];
    private LatencySketch[] _latency = [];

    [GlobalSetup]
    public void Setup()
    {
        _edges = new BinEdges[Features];
        _references = new NumericSketch[Features];
        _minuteSketches = new NumericSketch[Features][];
        for (var f = 0; f < Features; f++)
        {
            var reference = SeededData.Values((ulong)(100 + f), 20_000, 1.0 + f * 0.01, f);
            _edges[f] = BinEdges.FromReference(reference, SketchDrift.ReferenceQuantileBins)!;
            _references[f] = NumericSketch.Of(reference);
            _minuteSketches[f] = Enumerable.Range(0, Minutes)
                .Select(m => NumericSketch.Of(SeededData.Values((ulong)(10_000 + f * Minutes + m), EventsPerMinute, 1.1, f + 0.05)))
                .ToArray();
        }

        _latency = Enumerable.Range(0, Minutes).Select(m =>
        {
            var sketch = new LatencySketch();
            foreach (var v in SeededData.Values((ulong)(50_000 + m), EventsPerMinute, 20, 50)) sketch.Add(v);
            return sketch;
        }).ToArray();
    }

    [Benchmark]
    public double Window_of_50_features_from_minute_sketches()
    {
        var total = 0.0;
        for (var f = 0; f < Features; f++)
        {
            var window = new NumericSketch();
            foreach (var minute in _minuteSketches[f]) window.Merge(minute);
            total += SketchDrift.Compare(_references[f], window, _edges[f]).Result.Value ?? 0;
        }

        var latency = LatencySketch.Merge(_latency).Summarise();
        return total + (latency.P99 ?? 0);
    }
}
