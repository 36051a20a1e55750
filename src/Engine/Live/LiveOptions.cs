using System.ComponentModel.DataAnnotations;

namespace ModelWatch.Engine.Live;

/// <summary>How often live summaries go out. Bound from Portal:Live.</summary>
public sealed class LiveOptions
{
    /// <summary>
    /// The shortest time between two summaries of one (model, window, version). A change waits for the next slot, so
    /// this interval bounds commit-to-receipt latency from below: at 200 ms, 95 % of batches wait at most 190 ms.
    /// Blazor panels throttle their own renders (Portal:Ui:MinRenderInterval) on top of this.
    /// </summary>
    [Range(50, 10_000)]
    public int IntervalMs { get; set; } = 200;

    public TimeSpan Interval => TimeSpan.FromMilliseconds(IntervalMs);
}
