using ModelWatch.Engine.Ingestion;
using ModelWatch.Engine.Registry;

namespace ModelWatch.Engine.Windows;

/// <summary>
/// One model's aggregates for reads: the open minutes in memory (not yet flushed, or being flushed) over the stored
/// tiers, read through the shared <see cref="AggregateCache"/>. A window merges the fewest stored slots that cover it
/// (<see cref="TierPlan"/>) plus the in-memory minutes those slots do not hold yet. Written by the aggregator thread,
/// read by summaries; a lock per model keeps the two apart (a cache miss reads the database under it, so a flush
/// cannot slip between reading a slot and deciding which in-memory minutes it lacks).
/// </summary>
internal sealed class ModelBuckets
{
    // With this many closed slots or more, their merge is cached: 24 busy hours cost ~20 ms to merge, a cached one ~1 ms to copy.
    private const int CachedClosedPartMinSlots = 4;

    private readonly Lock _lock = new();
    private readonly AggregateStore _store;
    private readonly AggregateCache _cache;
    private readonly TierRetention _retention;
    private OpenMinutes _open;
    private OpenMinutes? _flushing;
    private long? _firstSpendMs; // live spend known to the millisecond; the tiers know the minute

    public ModelBuckets(ModelDefinition model, BucketLimits limits, AggregateStore store, AggregateCache cache, TierRetention retention)
    {
        Model = model;
        Limits = limits;
        _store = store;
        _cache = cache;
        _retention = retention;
        _open = new OpenMinutes(model, limits);
    }

    public ModelDefinition Model { get; private set; }
    public BucketLimits Limits { get; }
    public DateTimeOffset? LastEventAt { get; private set; }

    public static long MonthStart(DateTimeOffset now) => new DateTimeOffset(now.UtcDateTime.Year, now.UtcDateTime.Month, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    public void Apply(CommittedWrite write)
    {
        lock (_lock)
        {
            Model = write.Model;
            _open.Add(write);
            foreach (var p in write.Predictions)
            {
                var at = DateTimeOffset.FromUnixTimeMilliseconds(p.Timestamp);
                if (LastEventAt is null || at > LastEventAt) LastEventAt = at;
                if (p.CostUsd > 0 && (_firstSpendMs is null || p.Timestamp < _firstSpendMs)) _firstSpendMs = p.Timestamp;
            }
            foreach (var c in write.Costs)
                if (c.AmountUsd > 0 && (_firstSpendMs is null || c.Timestamp < _firstSpendMs)) _firstSpendMs = c.Timestamp;
        }
    }

    /// <summary>Restart: the newest event time comes from the model's stats row, not from a rescan.</summary>
    public void KnowLastEvent(DateTimeOffset? at)
    {
        lock (_lock) if (at is { } a && (LastEventAt is null || a > LastEventAt)) LastEventAt = a;
    }

    /// <summary>Hands the open minutes to a flush with sequence <paramref name="seq"/>; null when there is nothing to write.</summary>
    public OpenMinutes? TakeForFlush(long seq)
    {
        lock (_lock)
        {
            if (_flushing is not null) throw new InvalidOperationException("A flush of this model is still in flight.");
            if (_open.IsEmpty) return null;
            _flushing = _open;
            _flushing.Seq = seq;
            _flushing.Seal(); // from here the writer thread and readers both read it, nobody writes
            _open = new OpenMinutes(Model, Limits);
            return _flushing;
        }
    }

    /// <summary>After the flush's transaction: drop the written minutes and the cached slots they changed, or take them back.</summary>
    public void Flushed(bool committed)
    {
        lock (_lock)
        {
            if (_flushing is not { } done) return;
            _flushing = null;
            if (!committed)
            {
                done.Add(_open);
                done.Seq = long.MaxValue;
                _open = done;
                return;
            }
            foreach (var slot in Touched(done)) Invalidate(slot);
        }
    }

    /// <summary>Drops cached slots a write outside the open minutes changed (the upgrade, retention).</summary>
    public void Invalidate(IEnumerable<TierSlot> slots)
    {
        lock (_lock) foreach (var slot in slots) Invalidate(slot);
    }

    private void Invalidate(TierSlot slot) => _cache.Remove(new SlotKey(Model.Pk, slot.Tier, slot.Start));

    internal static HashSet<TierSlot> Touched(OpenMinutes minutes)
    {
        var slots = new HashSet<TierSlot>();
        foreach (var minute in minutes.Predictions.Keys.Concat(minutes.System.Keys))
            foreach (var tier in Tiers.All) slots.Add(new TierSlot(tier, tier.SlotStart(minute)));
        return slots;
    }

    /// <summary>Merges everything in [fromMinute, toMinute) for one version or all.</summary>
    public (MinuteBucket Predictions, SystemBucket System) Merge(long fromMinute, long toMinute, long? versionPk, long nowMinute)
    {
        lock (_lock)
        {
            var (slots, entries) = Plan(fromMinute, toMinute, nowMinute);
            var merged = new MinuteBucket(Model, Limits);
            var system = new SystemBucket();
            var closed = slots.Count;
            while (closed > 0 && slots[closed - 1].End > nowMinute) closed--;
            var first = 0;
            if (closed >= CachedClosedPartMinSlots)
            {
                var part = ClosedPartOf(versionPk, slots, entries, closed);
                merged.Merge(part.Bucket);
                system.Merge(part.System);
                first = closed;
            }
            for (var i = first; i < entries.Length; i++) MergeSlot(entries[i], versionPk, merged, system);
            ForEachOpenMinute(fromMinute, toMinute, slots, entries, (minute, set) =>
            {
                if (set.Predictions.TryGetValue(minute, out var versions))
                    foreach (var (version, bucket) in versions)
                        if (versionPk is null || version == versionPk) merged.Merge(bucket);
                if (set.System.TryGetValue(minute, out var s)) system.Merge(s);
            });
            return (merged, system);
        }
    }

    /// <summary>The first minute in [fromMinute, toMinute) with any data: where a window's history starts (to the slot, where only coarse slots remain).</summary>
    public long? FirstDataMinute(long fromMinute, long toMinute, long nowMinute)
    {
        lock (_lock)
        {
            var (slots, entries) = Plan(fromMinute, toMinute, nowMinute);
            long? first = null;
            foreach (var entry in entries)
            {
                if (entry.IsEmpty) continue;
                var start = entry.Slot.Start;
                first = entry.Versions.Values.Select(b => b.FirstMinute).Append(entry.System?.FirstMinute).Min() ?? start;
                break;
            }
            ForEachOpenMinute(fromMinute, toMinute, slots, entries, (minute, _) => { if (first is null || minute < first) first = minute; });
            return first is { } m ? Math.Max(m, fromMinute) : null;
        }
    }

    /// <summary>
    /// Spend in [fromMinute, toMinute) and the first minute that had any, without merging sketches: the cost run-rate
    /// and the month-to-date read these on every summary.
    /// </summary>
    public (double Usd, long? FirstMinute) SpendBetween(long fromMinute, long toMinute, long nowMinute)
    {
        lock (_lock)
        {
            var (slots, entries) = Plan(fromMinute, toMinute, nowMinute);
            double usd = 0;
            long? first = null;
            void Note(long minute) { if (first is null || minute < first) first = minute; }
            foreach (var entry in entries)
            {
                foreach (var bucket in entry.Versions.Values)
                    if (bucket.CostUsd > 0) { usd += bucket.CostUsd; Note(Math.Max(fromMinute, bucket.FirstMinute ?? entry.Slot.Start)); }
                if (entry.System is { CostRecordsUsd: > 0 } s) { usd += s.CostRecordsUsd; Note(Math.Max(fromMinute, s.FirstMinute ?? entry.Slot.Start)); }
            }
            ForEachOpenMinute(fromMinute, toMinute, slots, entries, (minute, set) =>
            {
                if (set.Predictions.TryGetValue(minute, out var versions))
                    foreach (var bucket in versions.Values) if (bucket.CostUsd > 0) { usd += bucket.CostUsd; Note(minute); }
                if (set.System.TryGetValue(minute, out var s) && s.CostRecordsUsd > 0) { usd += s.CostRecordsUsd; Note(minute); }
            });
            return (usd, first);
        }
    }

    /// <summary>This month's spend so far, from the day tier (and the finer slots of today), never from raw rows.</summary>
    public double MonthToDateUsd(DateTimeOffset now)
    {
        var nowMinute = now.ToUnixTimeMilliseconds() / 60_000;
        return SpendBetween(MonthStart(now) / 60_000, nowMinute + 1, nowMinute).Usd;
    }

    /// <summary>When this month's first cost was incurred: a model deployed mid-month is projected from then.</summary>
    public DateTimeOffset? SpendingSince(DateTimeOffset now)
    {
        var nowMinute = now.ToUnixTimeMilliseconds() / 60_000;
        if (SpendBetween(MonthStart(now) / 60_000, nowMinute + 1, nowMinute).FirstMinute is not { } minute) return null;
        lock (_lock)
            return _firstSpendMs is { } ms && ms / 60_000 == minute ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : DateTimeOffset.FromUnixTimeMilliseconds(minute * 60_000);
    }

    private (List<TierSlot> Slots, SlotAggregate[] Entries) Plan(long fromMinute, long toMinute, long nowMinute)
    {
        var slots = TierPlan.Slots(fromMinute, toMinute, nowMinute, tier => _retention.RetainedFrom(tier, nowMinute));
        return (slots, Entries(slots));
    }

    /// <summary>The cached entries of the slots; misses are read in one snapshot, one range query per tier.</summary>
    private SlotAggregate[] Entries(List<TierSlot> slots)
    {
        var entries = new SlotAggregate[slots.Count];
        List<int>? missing = null;
        for (var i = 0; i < slots.Count; i++)
        {
            if (_cache.TryGet<SlotAggregate>(new SlotKey(Model.Pk, slots[i].Tier, slots[i].Start), out var entry)) entries[i] = entry;
            else (missing ??= []).Add(i);
        }
        if (missing is null) return entries;

        var ranges = missing.GroupBy(i => slots[i].Tier).Select(g => (g.Key, g.Min(i => slots[i].Start), g.Max(i => slots[i].End))).ToList();
        var (seq, blobs) = _store.ReadRanges(Model.Pk, ranges);
        var byKey = blobs.GroupBy(b => (b.Tier, b.Blob.Start)).ToDictionary(g => g.Key, g => g.Select(b => b.Blob).ToList());
        foreach (var i in missing)
        {
            var slot = slots[i];
            var versions = new Dictionary<long, MinuteBucket>();
            SystemBucket? system = null;
            long bytes = 256;
            if (byKey.TryGetValue((slot.Tier, slot.Start), out var stored))
            {
                foreach (var blob in stored)
                {
                    if (blob.VersionPk == AggregateStore.SystemVersion) { system = MinuteBucketCodec.DecodeSystem(blob.Data); bytes += 256; continue; }
                    var bucket = MinuteBucketCodec.DecodeMinute(Model, blob.Data, Limits).Seal();
                    versions[blob.VersionPk] = bucket;
                    bytes += bucket.EstimatedBytes();
                }
            }
            var entry = new SlotAggregate(slot, seq, versions, system, bytes);
            _cache.Put(new SlotKey(Model.Pk, slot.Tier, slot.Start), entry, bytes);
            entries[i] = entry;
        }
        return entries;
    }

    private ClosedPart ClosedPartOf(long? versionPk, List<TierSlot> slots, SlotAggregate[] entries, int closed)
    {
        var key = new ClosedPartKey(Model.Pk, versionPk, slots[0].Start, slots[closed - 1].End);
        if (_cache.TryGet<ClosedPart>(key, out var cached) && cached.Sources.Length == closed
            && cached.Sources.Select((s, i) => ReferenceEquals(s, entries[i])).All(same => same))
            return cached;
        var bucket = new MinuteBucket(Model, Limits);
        var system = new SystemBucket();
        for (var i = 0; i < closed; i++) MergeSlot(entries[i], versionPk, bucket, system);
        var part = new ClosedPart(entries[..closed], bucket.Seal(), system);
        _cache.Put(key, part, bucket.EstimatedBytes() + 512);
        return part;
    }

    private static void MergeSlot(SlotAggregate entry, long? versionPk, MinuteBucket merged, SystemBucket system)
    {
        foreach (var (version, bucket) in entry.Versions)
            if (versionPk is null || version == versionPk) merged.Merge(bucket);
        if (entry.System is { } s) system.Merge(s);
    }

    /// <summary>
    /// Visits each in-memory minute in [fromMinute, toMinute) with the set holding it, skipping those whose flush the
    /// covering slot's snapshot already holds. Minutes outside every planned slot (older than retention) are skipped.
    /// </summary>
    private void ForEachOpenMinute(long fromMinute, long toMinute, List<TierSlot> slots, SlotAggregate[] entries, Action<long, OpenMinutes> visit)
    {
        foreach (var set in _flushing is null ? [_open] : new[] { _flushing, _open })
        {
            if (set.IsEmpty) continue;
            foreach (var minute in set.Predictions.Keys.Concat(set.System.Keys).Distinct())
            {
                if (minute < fromMinute || minute >= toMinute) continue;
                var i = SlotIndex(slots, minute);
                if (i < 0 || set.Seq <= entries[i].Seq) continue;
                visit(minute, set);
            }
        }
    }

    private static int SlotIndex(List<TierSlot> slots, long minute)
    {
        int lo = 0, hi = slots.Count - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) / 2;
            if (slots[mid].End <= minute) lo = mid + 1;
            else if (slots[mid].Start > minute) hi = mid - 1;
            else return mid;
        }
        return -1;
    }
}
