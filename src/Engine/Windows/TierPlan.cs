namespace ModelWatch.Engine.Windows;

/// <summary>
/// Splits a span of minutes into the fewest stored slots: whole days from the day tier, whole hours from the hour
/// tier, the ragged edges from the minute tier. A slot still filling (it holds "now") counts as whole: nothing
/// later than now exists yet. Where a finer tier is no longer retained the edge widens to the next coarser slot.
/// </summary>
public static class TierPlan
{
    /// <param name="retainedFrom">Per tier, the oldest slot start still kept (from the retention options).</param>
    public static List<TierSlot> Slots(long fromMinute, long toMinute, long nowMinute, Func<Tier, long> retainedFrom)
    {
        var slots = new List<TierSlot>();
        var cursor = fromMinute;
        while (cursor < toMinute)
        {
            var slot = Best(cursor, toMinute, nowMinute, retainedFrom);
            slots.Add(slot);
            cursor = slot.End;
        }
        return slots;
    }

    private static TierSlot Best(long cursor, long toMinute, long nowMinute, Func<Tier, long> retainedFrom)
    {
        for (var tier = Tier.Day; tier > Tier.Minute; tier--)
        {
            var start = tier.SlotStart(cursor);
            var slot = new TierSlot(tier, start);
            var fits = start == cursor && (slot.End <= toMinute || (nowMinute < slot.End && toMinute > nowMinute));
            if (fits && start >= retainedFrom(tier)) return slot;
        }
        if (cursor >= retainedFrom(Tier.Minute)) return new TierSlot(Tier.Minute, cursor);
        // minutes this old are gone: take the hour (or day) that holds the cursor
        var hour = new TierSlot(Tier.Hour, Tier.Hour.SlotStart(cursor));
        return hour.Start >= retainedFrom(Tier.Hour) ? hour : new TierSlot(Tier.Day, Tier.Day.SlotStart(cursor));
    }

    /// <summary>The finest tier a span read this way is exact to at its start, for the response's resolution field.</summary>
    public static Tier Resolution(long fromMinute, Func<Tier, long> retainedFrom) =>
        fromMinute >= retainedFrom(Tier.Minute) ? Tier.Minute : fromMinute >= retainedFrom(Tier.Hour) ? Tier.Hour : Tier.Day;
}
