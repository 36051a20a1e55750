using System.ComponentModel.DataAnnotations;

namespace ModelWatch.Engine.Windows;

/// <summary>Memory and flushing of the aggregate tiers. Bound from Portal:Aggregates.</summary>
public sealed class AggregateOptions
{
    /// <summary>Decoded aggregates kept in memory for reads (least recently used go first).</summary>
    [Range(1, 1_000_000)]
    public int CacheMegabytes { get; set; } = 256;

    /// <summary>How often open minutes are written to the tiers: the most a restart has to replay.</summary>
    [Range(1, 3_600)]
    public int FlushSeconds { get; set; } = 5;
}
