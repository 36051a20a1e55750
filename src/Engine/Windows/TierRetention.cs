using ModelWatch.Engine.Retention;

namespace ModelWatch.Engine.Windows;

/// <summary>How far back each tier is kept (<c>Portal:Retention:MinuteDays</c>, <c>HourDays</c>, <c>DayDays</c>): reads plan with it, the pruner deletes by it.</summary>
public sealed class TierRetention(RetentionOptions options)
{
    public static TierRetention Default { get; } = new(new RetentionOptions());

    public int Days(Tier tier) => tier switch { Tier.Minute => options.MinuteDays, Tier.Hour => options.HourDays, _ => options.DayDays };

    /// <summary>The oldest slot start of a tier still kept at <paramref name="nowMinute"/>.</summary>
    public long RetainedFrom(Tier tier, long nowMinute) => tier.SlotStart(nowMinute - Days(tier) * 1440L);

    /// <summary>The longest span any read can reach: the day tier's.</summary>
    public TimeSpan Longest => TimeSpan.FromDays(options.DayDays);
}
