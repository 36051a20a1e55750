using ModelWatch.Engine.Ingestion;
using ModelWatch.Engine.Registry;

namespace ModelWatch.Engine.Windows;

/// <summary>
/// One model's buckets, keyed by start minute: minute buckets for the last day, hour buckets (rolled up) for the
/// week before. Written by the aggregator thread, read by summaries; a lock per model keeps the two apart.
/// </summary>
internal sealed class ModelBuckets(ModelDefinition model, BucketLimits? limits = null)
{
    public const long MinuteBucketRetentionMinutes = 24 * 60;
    public const long RetentionMinutes = 7 * 24 * 60 + 60;

    private readonly Lock _lock = new();
    private readonly SortedList<long, Dictionary<long, MinuteBucket>> _predictions = [];
    private readonly SortedList<long, SystemBucket> _system = [];

    public ModelDefinition Model { get; private set; } = model;
    public BucketLimits Limits { get; } = limits ?? BucketLimits.Default;
    public DateTimeOffset? LastEventAt { get; private set; }

    // Month-to-date spend is kept as a running sum: the buckets only reach back a week.
    private long _monthStartMs;
    private double _monthToDateUsd;
    private long? _firstSpendMs;

    /// <summary>When this month's first cost was incurred: a model deployed mid-month is projected from then.</summary>
    public DateTimeOffset? SpendingSince(DateTimeOffset now)
    {
        lock (_lock) return MonthStart(now) == _monthStartMs && _firstSpendMs is { } first ? DateTimeOffset.FromUnixTimeMilliseconds(first) : null;
    }

    public double MonthToDateUsd(DateTimeOffset now)
    {
        lock (_lock) return MonthStart(now) == _monthStartMs ? _monthToDateUsd : 0;
    }

    public void StartMonth(long monthStartMs, double spentUsd, long? firstSpendMs)
    {
        lock (_lock)
        {
            _monthStartMs = monthStartMs;
            _monthToDateUsd = spentUsd;
            _firstSpendMs = firstSpendMs;
        }
    }

    public static long MonthStart(DateTimeOffset now) => new DateTimeOffset(now.UtcDateTime.Year, now.UtcDateTime.Month, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    /// <param name="replayed">Events read back from the tables: their spend is already in the month-to-date sum.</param>
    public void Apply(CommittedWrite write, long nowMinute, bool replayed = false)
    {
        lock (_lock)
        {
            Model = write.Model;
            var oldest = nowMinute - RetentionMinutes;
            var monthStart = MonthStart(DateTimeOffset.FromUnixTimeMilliseconds(nowMinute * 60_000));
            if (monthStart > _monthStartMs) (_monthStartMs, _monthToDateUsd, _firstSpendMs) = (monthStart, 0, null);
            if (!replayed) AddSpend(write);
            foreach (var p in write.Predictions)
            {
                var minute = p.Timestamp / 60_000;
                if (minute < oldest) continue; // too old for any window; still stored in the event table
                PredictionBucket(minute, p.VersionPk).Add(p);
                var at = DateTimeOffset.FromUnixTimeMilliseconds(p.Timestamp);
                if (LastEventAt is null || at > LastEventAt) LastEventAt = at;
            }
            foreach (var o in write.Outcomes)
            {
                var minute = o.Timestamp / 60_000;
                if (minute >= oldest) PredictionBucket(minute, o.VersionPk).Add(o);
            }
            foreach (var s in write.Samples)
            {
                var minute = s.Timestamp / 60_000;
                if (minute < oldest) continue;
                SystemBucketAt(minute).Add(s);
                if (s.VersionPk is { } version) PredictionBucket(minute, version).AddErrors(s.Errors); // attributed errors
            }
            foreach (var c in write.Costs)
            {
                var minute = c.Timestamp / 60_000;
                if (minute >= oldest) SystemBucketAt(minute).Add(c);
            }
        }
    }

    private void AddSpend(CommittedWrite write)
    {
        foreach (var p in write.Predictions)
            if (p.CostUsd is { } cost && p.Timestamp >= _monthStartMs) Spend(cost, p.Timestamp);
        foreach (var c in write.Costs)
            if (c.Timestamp >= _monthStartMs) Spend(c.AmountUsd, c.Timestamp);
    }

    private void Spend(double amountUsd, long at)
    {
        _monthToDateUsd += amountUsd;
        if (amountUsd > 0 && (_firstSpendMs is null || at < _firstSpendMs)) _firstSpendMs = at;
    }

    /// <summary>Drops the prediction buckets (tests and re-aggregation); operational buckets stay.</summary>
    public void Reset()
    {
        lock (_lock) _predictions.Clear();
    }

    /// <summary>Merges the buckets starting in [fromMinute, toMinute) for one version or all.</summary>
    public (MinuteBucket Predictions, SystemBucket System) Merge(long fromMinute, long toMinute, long? versionPk)
    {
        lock (_lock)
        {
            var merged = new MinuteBucket(Model, Limits);
            for (var i = LowerBound(_predictions.Keys, fromMinute); i < _predictions.Count && _predictions.Keys[i] < toMinute; i++)
            {
                foreach (var (version, bucket) in _predictions.Values[i])
                {
                    if (versionPk is not null && version != versionPk) continue;
                    merged.Merge(bucket);
                    merged.FirstMinute ??= _predictions.Keys[i];
                }
            }
            var system = new SystemBucket();
            for (var i = LowerBound(_system.Keys, fromMinute); i < _system.Count && _system.Keys[i] < toMinute; i++)
                system.Merge(_system.Values[i]);
            return (merged, system);
        }
    }

    /// <summary>The first minute in [fromMinute, toMinute) with any bucket (predictions, samples or costs): where a window's history starts.</summary>
    public long? FirstDataMinute(long fromMinute, long toMinute)
    {
        lock (_lock)
        {
            long? first = null;
            var i = LowerBound(_predictions.Keys, fromMinute);
            if (i < _predictions.Count && _predictions.Keys[i] < toMinute) first = _predictions.Keys[i];
            var j = LowerBound(_system.Keys, fromMinute);
            if (j < _system.Count && _system.Keys[j] < toMinute && (first is null || _system.Keys[j] < first)) first = _system.Keys[j];
            return first;
        }
    }

    /// <summary>
    /// Spend in buckets starting in [fromMinute, toMinute) and the first minute that had any, without merging
    /// histograms: the cost run-rate reads a day of buckets on every summary.
    /// </summary>
    public (double Usd, long? FirstMinute) SpendBetween(long fromMinute, long toMinute)
    {
        lock (_lock)
        {
            double usd = 0;
            long? first = null;
            for (var i = LowerBound(_predictions.Keys, fromMinute); i < _predictions.Count && _predictions.Keys[i] < toMinute; i++)
                foreach (var bucket in _predictions.Values[i].Values)
                    if (bucket.CostUsd > 0) { usd += bucket.CostUsd; first ??= _predictions.Keys[i]; }
            for (var i = LowerBound(_system.Keys, fromMinute); i < _system.Count && _system.Keys[i] < toMinute; i++)
                if (_system.Values[i].CostRecordsUsd > 0)
                {
                    usd += _system.Values[i].CostRecordsUsd;
                    if (first is null || _system.Keys[i] < first) first = _system.Keys[i];
                }
            return (usd, first);
        }
    }

    /// <summary>Folds minute buckets older than a day into hour buckets and drops what no window reaches.</summary>
    public void RollUp(long nowMinute)
    {
        lock (_lock)
        {
            var rollBefore = nowMinute - MinuteBucketRetentionMinutes;
            var dropBefore = nowMinute - RetentionMinutes;
            foreach (var minute in _predictions.Keys.Where(m => m < rollBefore && (m < dropBefore || m % 60 != 0)).ToList())
            {
                var buckets = _predictions[minute];
                _predictions.Remove(minute);
                if (minute < dropBefore) continue;
                foreach (var (version, bucket) in buckets) PredictionBucket(minute - minute % 60, version).Merge(bucket);
            }
            foreach (var minute in _system.Keys.Where(m => m < rollBefore && (m < dropBefore || m % 60 != 0)).ToList())
            {
                var bucket = _system[minute];
                _system.Remove(minute);
                if (minute >= dropBefore) SystemBucketAt(minute - minute % 60).Merge(bucket);
            }
        }
    }

    private MinuteBucket PredictionBucket(long minute, long versionPk)
    {
        if (!_predictions.TryGetValue(minute, out var versions)) _predictions[minute] = versions = [];
        if (!versions.TryGetValue(versionPk, out var bucket)) versions[versionPk] = bucket = new MinuteBucket(Model, Limits);
        return bucket;
    }

    private SystemBucket SystemBucketAt(long minute)
    {
        if (!_system.TryGetValue(minute, out var bucket)) _system[minute] = bucket = new SystemBucket();
        return bucket;
    }

    private static int LowerBound(IList<long> keys, long value)
    {
        int lo = 0, hi = keys.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (keys[mid] < value) lo = mid + 1; else hi = mid;
        }
        return lo;
    }
}
