namespace ModelWatch.Engine.Windows;

/// <summary>
/// One stored slot of one model, decoded and sealed: per-version buckets and the system bucket. <see cref="Seq"/> is
/// the flush sequence of the snapshot it was read from: in-memory minutes of a later flush are not in it yet.
/// </summary>
internal sealed class SlotAggregate(TierSlot slot, long seq, Dictionary<long, MinuteBucket> versions, SystemBucket? system, long bytes)
{
    public TierSlot Slot { get; } = slot;
    public long Seq { get; } = seq;
    public IReadOnlyDictionary<long, MinuteBucket> Versions { get; } = versions;
    public SystemBucket? System { get; } = system;
    public long Bytes { get; } = bytes;

    public bool IsEmpty => Versions.Count == 0 && System is null;
}

/// <summary>Cache key of a stored slot.</summary>
internal readonly record struct SlotKey(long ModelPk, Tier Tier, long Start);

/// <summary>Cache key of the merged closed part of a window (every slot that no longer holds "now").</summary>
internal readonly record struct ClosedPartKey(long ModelPk, long? VersionPk, long From, long To);

/// <summary>The merged closed part of a window and the exact slot entries it was merged from (valid while they are current).</summary>
internal sealed class ClosedPart(SlotAggregate[] sources, MinuteBucket bucket, SystemBucket system)
{
    public SlotAggregate[] Sources { get; } = sources;
    public MinuteBucket Bucket { get; } = bucket;
    public SystemBucket System { get; } = system;
}
