using ModelWatch.Engine.Statistics.Drift;

namespace ModelWatch.Engine.Statistics.Sketches;

/// <summary>
/// Puts two capped category tallies on one comparable set of categories. A category one side folded into "(other)"
/// may hide in the other side's Other, so when a side has Other, categories only the opposite side names are folded
/// too; then at most <c>cap</c> categories are kept (largest combined share first) and the rest join Other.
/// </summary>
public static class CategoryAlignment
{
    public static (CategoryCounts Reference, CategoryCounts Current) Align(CappedCounts reference, CappedCounts current, int cap)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var k in reference.Counts.Keys)
            if (current.Other == 0 || current.Counts.ContainsKey(k)) keys.Add(k);
        foreach (var k in current.Counts.Keys)
            if (reference.Other == 0 || reference.Counts.ContainsKey(k)) keys.Add(k);

        double rt = Math.Max(1, reference.Total), ct = Math.Max(1, current.Total);
        var kept = keys.Count <= cap
            ? keys
            : keys.OrderByDescending(k => reference.CountOf(k) / rt + current.CountOf(k) / ct).ThenBy(k => k, StringComparer.Ordinal).Take(cap).ToHashSet(StringComparer.Ordinal);
        return (Fold(reference, kept), Fold(current, kept));
    }

    private static CategoryCounts Fold(CappedCounts tally, HashSet<string> kept)
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        var other = tally.Other;
        foreach (var (k, v) in tally.Counts)
        {
            if (kept.Contains(k)) counts[k] = v;
            else other += v;
        }
        if (other > 0) counts[CappedCounts.OtherLabel] = counts.GetValueOrDefault(CappedCounts.OtherLabel) + other;
        return CategoryCounts.From(counts);
    }
}
