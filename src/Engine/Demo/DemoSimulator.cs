using Microsoft.Extensions.Logging;
using ModelWatch.Engine.Ingestion;
using ModelWatch.Engine.Registry;

namespace ModelWatch.Engine.Demo;

/// <summary>What one step sent and what was stored.</summary>
public sealed record DemoStepReport(int Predictions, int Labels, int Samples, int Costs, int Refused, IReadOnlyList<Episode> ActiveEpisodes);

/// <summary>
/// The demo's traffic, one step at a time: predictions for every model, labels whose delay has passed, operational
/// samples and cost records, with the scheduled episodes applied. All of it goes through <see cref="IngestionService"/>
/// as the HTTP API's JSON bodies. Each step is driven by the caller's clock, so tests run it without a timer.
/// </summary>
public sealed class DemoSimulator
{
    public static readonly TimeSpan TickInterval = TimeSpan.FromMilliseconds(200);
    public static readonly TimeSpan MetricsInterval = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan CostInterval = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan LabelFlushInterval = TimeSpan.FromSeconds(5);
    /// <summary>After a stall (a debugger, a full queue) the simulator resumes at its rate instead of bursting.</summary>
    public static readonly TimeSpan MaxCatchUp = TimeSpan.FromSeconds(5);
    public const double MissingFeatureShare = 0.01;
    public const double BadValueShare = 0.003;
    public const double LatencySigma = 0.35;
    private const int MaxLabelsPerBatch = 5_000;

    private readonly DemoOptions _options;
    private readonly IReadOnlyList<ModelStream> _streams;
    private readonly IngestionService _ingestion;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly Random _random;
    private readonly string _idPrefix;
    private readonly HashSet<Episode> _active = [];
    private DateTimeOffset _last;

    public DemoSimulator(DemoOptions options, IEnumerable<(DemoModel Demo, ModelDefinition Model)> models, IngestionService ingestion, TimeProvider clock, ILogger logger, DateTimeOffset start)
    {
        _options = options;
        _ingestion = ingestion;
        _clock = clock;
        _logger = logger;
        _random = new Random(options.Seed);
        Start = _last = start;
        // The start time makes ids unique across restarts; the sequence makes them unique within a run.
        _idPrefix = $"demo-{start.ToUnixTimeMilliseconds():x}-";
        _streams = models.Select(m => new ModelStream(m.Demo, m.Model, start)).ToList();
        var totalShare = _streams.Sum(s => s.Demo.TrafficShare);
        foreach (var s in _streams) s.EventsPerSecond = totalShare > 0 ? options.EventsPerSecond * s.Demo.TrafficShare / totalShare : 0;
        Schedule = new EpisodeSchedule(DemoCatalog.Episodes, options.EpisodeCycle, start);
    }

    /// <summary>A simulator for the demo models as registered; a model that is missing or not in the demo's shape is skipped.</summary>
    public static DemoSimulator Create(DemoOptions options, RegistryStore registry, IngestionService ingestion, TimeProvider clock, ILogger logger)
    {
        var models = new List<(DemoModel, ModelDefinition)>();
        foreach (var demo in DemoCatalog.Models)
        {
            var model = registry.FindModel(demo.Id);
            if (model is null || model.Task.ToName() != demo.Task || demo.Versions.Any(v => !model.VersionKeys.ContainsKey(v.Version)))
            {
                logger.LogWarning("Demo traffic skips model {Model}: it is not registered in the demo's shape", demo.Id);
                continue;
            }
            models.Add((demo, model));
        }
        return new DemoSimulator(options, models, ingestion, clock, logger, clock.GetUtcNow());
    }

    public DateTimeOffset Start { get; }

    public EpisodeSchedule Schedule { get; }

    public IReadOnlyList<string> ModelIds => _streams.Select(s => s.Model.Id).ToList();

    /// <summary>Labels drawn for stored predictions that have not been sent yet.</summary>
    public int PendingLabels => _streams.Sum(s => s.PendingLabels.Count);

    public async Task<DemoStepReport> StepAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var elapsed = now - _last;
        if (elapsed < TimeSpan.Zero) elapsed = TimeSpan.Zero;
        if (elapsed > MaxCatchUp) elapsed = MaxCatchUp;
        var from = now - elapsed;
        _last = now;
        var episodes = TrackEpisodes(now);

        // Everything is drawn here, in order, before any send starts: the same seed gives the same traffic, and a send's
        // continuation (which queues labels) never runs while this loop still reads a label queue.
        var sends = new List<Func<Task<DemoStepReport>>>();
        foreach (var stream in _streams)
        {
            var effects = Schedule.EffectsFor(stream.Model.Id, now);
            stream.Owed += stream.EventsPerSecond * elapsed.TotalSeconds;
            var count = (int)Math.Floor(stream.Owed);
            stream.Owed -= count;
            if (count > 0)
            {
                var batch = DrawPredictions(stream, effects, from, elapsed, count);
                sends.Add(() => SendPredictions(stream, batch, cancellationToken));
            }

            if (now >= stream.NextLabelFlush)
            {
                stream.NextLabelFlush = now + LabelFlushInterval;
                var due = new List<DemoLabel>();
                while (stream.PendingLabels.TryPeek(out var label, out var dueAt) && dueAt <= now)
                {
                    stream.PendingLabels.Dequeue();
                    due.Add(label);
                }
                foreach (var chunk in due.Chunk(MaxLabelsPerBatch)) sends.Add(() => SendLabels(stream, chunk, cancellationToken));
            }

            var samples = new List<DemoSample>();
            var costs = new List<DemoCost>();
            if (now >= stream.NextSample)
            {
                samples.Add(DrawSample(stream.Demo.Infrastructure, effects, now));
                stream.NextSample = Later(stream.NextSample + MetricsInterval, now, MetricsInterval);
            }
            if (now >= stream.NextCost)
            {
                var infrastructure = stream.Demo.Infrastructure;
                costs.Add(new DemoCost(stream.NextCost, Math.Round(infrastructure.CostPerHourUsd / 60 * effects.CostFactor, 6), infrastructure.CostItem));
                stream.NextCost = Later(stream.NextCost + CostInterval, now, CostInterval);
            }
            if (samples.Count + costs.Count > 0) sends.Add(() => SendMetrics(stream, samples, costs, cancellationToken));
        }

        var reports = await Task.WhenAll(sends.Select(send => send())).ConfigureAwait(false);
        return new DemoStepReport(reports.Sum(r => r.Predictions), reports.Sum(r => r.Labels), reports.Sum(r => r.Samples), reports.Sum(r => r.Costs), reports.Sum(r => r.Refused), episodes);
    }

    private (List<DemoPrediction> Predictions, List<DemoLabel> Labels) DrawPredictions(ModelStream stream, EpisodeEffects effects, DateTimeOffset from, TimeSpan elapsed, int count)
    {
        var demo = stream.Demo;
        var predictions = new List<DemoPrediction>(count);
        var labels = new List<DemoLabel>();
        for (var i = 0; i < count; i++)
        {
            var latest = _random.Chance(DemoCatalog.LatestVersionShare);
            var draw = demo.Generator.Draw(_random, latest, effects.Conditions);
            InjectQualityProblem(draw, demo);
            var timestamp = from + elapsed * ((i + 1.0) / count);
            var latency = Math.Round(_random.LogNormal(demo.MedianLatencyMs * effects.LatencyFactor, LatencySigma), 2);
            var cost = Math.Round(demo.CostPerPredictionUsd * effects.CostFactor * _random.LogNormal(1, 0.1), 9);
            var id = _idPrefix + stream.Sequence++.ToString(System.Globalization.CultureInfo.InvariantCulture);
            predictions.Add(new DemoPrediction(id, timestamp, latest ? DemoCatalog.LatestVersion : DemoCatalog.PreviousVersion, draw, latency, cost));
            if (_random.Chance(_options.LabelShare))
                labels.Add(new DemoLabel(id, draw.Label, timestamp + _random.Uniform(0, 1) * (_options.LabelDelayMax - _options.LabelDelayMin) + _options.LabelDelayMin));
        }
        return (predictions, labels);
    }

    /// <summary>A little bad data so the data-quality panel has something to show: a missing value, an out-of-range number, an unknown category.</summary>
    private void InjectQualityProblem(DemoDraw draw, DemoModel demo)
    {
        var features = draw.Features;
        if (features.Count == 0) return;
        if (_random.Chance(MissingFeatureShare))
        {
            features.RemoveAt(_random.Next(features.Count));
            return;
        }
        if (!_random.Chance(BadValueShare)) return;
        var index = _random.Next(features.Count);
        var spec = demo.Features.FirstOrDefault(f => f.Name == features[index].Key);
        object bad = spec switch
        {
            { Type: "numerical", Max: { } max, Min: { } min } => Math.Round(max + (max - min) * _random.Uniform(0.1, 1.0), 2),
            _ => "unknown",
        };
        features[index] = new(features[index].Key, bad);
    }

    private DemoSample DrawSample(DemoInfrastructure infrastructure, EpisodeEffects effects, DateTimeOffset now)
    {
        var spike = effects.LatencyFactor > 1;
        var cpu = DemoRandom.Clamp(infrastructure.CpuPercent + _random.Normal(0, 3) + (spike ? 35 : 0), 0, 100);
        var memory = Math.Max(0, infrastructure.MemoryMb + _random.Normal(0, infrastructure.MemoryMb * 0.02));
        var gpu = infrastructure.GpuPercent > 0 ? DemoRandom.Clamp(infrastructure.GpuPercent + _random.Normal(0, 6) + (spike ? 30 : 0), 0, 100) : 0;
        var errors = _random.Poisson(spike ? 3.0 : 0.05);
        return new DemoSample(now, Math.Round(cpu, 1), Math.Round(memory), Math.Round(gpu, 1), errors);
    }

    private async Task<DemoStepReport> SendPredictions(ModelStream stream, (List<DemoPrediction> Predictions, List<DemoLabel> Labels) batch, CancellationToken cancellationToken)
    {
        var body = DemoBodies.Predictions(batch.Predictions);
        var result = await DemoDelivery.SendAsync(ct => _ingestion.IngestPredictionsAsync(stream.Model, body, ct), $"predictions for {stream.Model.Id}", _clock, _logger, cancellationToken).ConfigureAwait(false);
        if (result.Status != IngestStatus.Stored) return Report(refused: 1);
        // Only a stored prediction gets its label later; each stream's queue is touched by one send at a time.
        foreach (var label in batch.Labels) stream.PendingLabels.Enqueue(label, label.Timestamp);
        return Report(predictions: batch.Predictions.Count);
    }

    private async Task<DemoStepReport> SendLabels(ModelStream stream, IReadOnlyList<DemoLabel> labels, CancellationToken cancellationToken)
    {
        var body = DemoBodies.Labels(labels);
        var result = await DemoDelivery.SendAsync(ct => _ingestion.IngestLabelsAsync(stream.Model, body, ct), $"labels for {stream.Model.Id}", _clock, _logger, cancellationToken).ConfigureAwait(false);
        return result.Status == IngestStatus.Stored ? Report(labels: labels.Count) : Report(refused: 1);
    }

    private async Task<DemoStepReport> SendMetrics(ModelStream stream, List<DemoSample> samples, List<DemoCost> costs, CancellationToken cancellationToken)
    {
        var body = DemoBodies.Metrics(samples, costs);
        var result = await DemoDelivery.SendAsync(ct => _ingestion.IngestMetricsAsync(stream.Model, body, ct), $"metrics for {stream.Model.Id}", _clock, _logger, cancellationToken).ConfigureAwait(false);
        return result.Status == IngestStatus.Stored ? Report(samples: samples.Count, costs: costs.Count) : Report(refused: 1);
    }

    private IReadOnlyList<Episode> TrackEpisodes(DateTimeOffset now)
    {
        var active = Schedule.ActiveAt(now);
        foreach (var e in active)
        {
            if (_active.Add(e))
                _logger.LogInformation("Demo episode started on {Model}: {Episode} for {Duration}", e.ModelId, e.Description, e.LengthIn(Schedule.Cycle));
        }
        foreach (var e in _active.Where(e => !active.Contains(e)).ToList())
        {
            _active.Remove(e);
            _logger.LogInformation("Demo episode ended on {Model}: {Episode}", e.ModelId, e.Description);
        }
        return active;
    }

    /// <summary>The next due time; after a stall the schedule restarts from now instead of catching up.</summary>
    private static DateTimeOffset Later(DateTimeOffset next, DateTimeOffset now, TimeSpan interval) => next > now ? next : now + interval;

    private static DemoStepReport Report(int predictions = 0, int labels = 0, int samples = 0, int costs = 0, int refused = 0) => new(predictions, labels, samples, costs, refused, []);

    private sealed class ModelStream(DemoModel demo, ModelDefinition model, DateTimeOffset start)
    {
        public DemoModel Demo { get; } = demo;
        public ModelDefinition Model { get; } = model;
        public double EventsPerSecond { get; set; }
        public double Owed { get; set; }
        public long Sequence { get; set; }
        public PriorityQueue<DemoLabel, DateTimeOffset> PendingLabels { get; } = new();
        public DateTimeOffset NextSample { get; set; } = start;
        public DateTimeOffset NextCost { get; set; } = start + CostInterval;
        public DateTimeOffset NextLabelFlush { get; set; } = start + LabelFlushInterval;
    }
}
