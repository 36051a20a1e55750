using ModelWatch.Engine.Ingestion;
using ModelWatch.Engine.Registry;

namespace ModelWatch.Engine.Windows;

/// <summary>
/// One model's aggregates not yet in the stored tiers: per minute and version, plus operational samples and costs per
/// minute. Live commits fold in here; a flush moves the whole set into the tiers. Bounded by the traffic of one flush
/// interval (or of the replayed tail), not by history. Not thread-safe: its owner locks.
/// </summary>
internal sealed class OpenMinutes(ModelDefinition model, BucketLimits limits)
{
    /// <summary>The flush that puts these minutes in the blobs; <see cref="long.MaxValue"/> while still open.</summary>
    public long Seq { get; set; } = long.MaxValue;

    public ModelDefinition Model { get; private set; } = model;
    public Dictionary<long, Dictionary<long, MinuteBucket>> Predictions { get; } = [];
    public Dictionary<long, SystemBucket> System { get; } = [];

    public bool IsEmpty => Predictions.Count == 0 && System.Count == 0;

    public void Add(CommittedWrite write)
    {
        Model = write.Model;
        foreach (var p in write.Predictions) Bucket(p.Timestamp / 60_000, p.VersionPk).Add(p);
        foreach (var o in write.Outcomes) Bucket(o.Timestamp / 60_000, o.VersionPk).Add(o);
        foreach (var s in write.Samples)
        {
            var minute = s.Timestamp / 60_000;
            SystemAt(minute).Add(s);
            if (s.VersionPk is { } version) Bucket(minute, version).AddErrors(s.Errors); // attributed errors
        }
        foreach (var c in write.Costs) SystemAt(c.Timestamp / 60_000).Add(c);
    }

    /// <summary>Takes back a set whose flush failed, so the next flush writes it.</summary>
    public void Add(OpenMinutes other)
    {
        foreach (var (minute, versions) in other.Predictions)
            foreach (var (version, bucket) in versions) Bucket(minute, version).Merge(bucket);
        foreach (var (minute, system) in other.System) SystemAt(minute).Merge(system);
    }

    /// <summary>Settles the sketches before the writer reads this set while summaries still merge from it.</summary>
    public void Seal()
    {
        foreach (var versions in Predictions.Values)
            foreach (var bucket in versions.Values) bucket.Seal();
    }

    public MinuteBucket Bucket(long minute, long versionPk)
    {
        if (!Predictions.TryGetValue(minute, out var versions)) Predictions[minute] = versions = [];
        if (!versions.TryGetValue(versionPk, out var bucket)) versions[versionPk] = bucket = new MinuteBucket(Model, limits) { FirstMinute = minute };
        return bucket;
    }

    public SystemBucket SystemAt(long minute)
    {
        if (!System.TryGetValue(minute, out var bucket)) System[minute] = bucket = new SystemBucket { FirstMinute = minute };
        return bucket;
    }
}
