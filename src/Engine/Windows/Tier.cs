namespace ModelWatch.Engine.Windows;

/// <summary>The resolutions aggregates are stored at. Every flush adds its minutes to all three, so each is complete.</summary>
public enum Tier { Minute = 0, Hour = 1, Day = 2 }

public static class Tiers
{
    public static readonly IReadOnlyList<Tier> All = [Tier.Minute, Tier.Hour, Tier.Day];

    public static long Minutes(this Tier tier) => tier switch { Tier.Minute => 1, Tier.Hour => 60, _ => 1440 };

    /// <summary>Start (in minutes since the epoch) of the slot of this tier holding a minute; days start at UTC midnight.</summary>
    public static long SlotStart(this Tier tier, long minute)
    {
        var length = tier.Minutes();
        var remainder = minute % length;
        return remainder < 0 ? minute - remainder - length : minute - remainder;
    }

    public static string Name(this Tier tier) => tier switch { Tier.Minute => "minute", Tier.Hour => "hour", _ => "day" };
}

/// <summary>One stored slot a read merges: a tier and the slot's start minute.</summary>
public readonly record struct TierSlot(Tier Tier, long Start)
{
    public long End => Start + Tier.Minutes();
}
