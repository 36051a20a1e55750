namespace ModelWatch.Engine.Ingestion;

/// <summary>
/// Caps the distinct undeclared feature names kept for one model: the first names seen are kept, later new ones are
/// counted under <see cref="Other"/>. One event with 100,000 made-up names then costs one counter, not 100,000.
/// </summary>
public sealed class UndeclaredNames(int maxPerModel = UndeclaredNames.DefaultMax)
{
    public const string Other = "(other undeclared)";
    public const int DefaultMax = 100;
    private readonly HashSet<string> _kept = new(StringComparer.Ordinal);

    /// <summary>The names to count for one event: kept names as they are, the rest once as <see cref="Other"/>.</summary>
    public string[]? Cap(string[]? names)
    {
        if (names is null || names.Length == 0) return names;
        var kept = _kept;
        lock (kept)
        {
            List<string>? result = null;
            var overflow = false;
            for (var i = 0; i < names.Length; i++)
            {
                var name = names[i];
                var keep = kept.Contains(name) || (kept.Count < maxPerModel && kept.Add(name));
                if (keep && !overflow && result is null) continue; // the common case: nothing changes
                result ??= [.. names.AsSpan(0, i)];
                if (keep) result.Add(name);
                else overflow = true;
            }
            if (result is null) return names;
            if (overflow) result.Add(Other);
            return [.. result];
        }
    }
}
