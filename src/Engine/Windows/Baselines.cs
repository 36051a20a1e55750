using System.Collections.Concurrent;
using Dapper;
using ModelWatch.Engine.Registry;
using ModelWatch.Engine.Storage;

namespace ModelWatch.Engine.Windows;

/// <summary>
/// The one home of baseline choice: which reference drift is measured against, decoded once and cached.
/// <list type="bullet">
/// <item>A chosen version is compared with its own reference, or the model's baseline when it has none.</item>
/// <item>The model's baseline is the production alias's version when it has a reference, else the newest version
/// that has one.</item>
/// </list>
/// The cache is dropped when the stamp in <c>baseline_stamps</c> changes (triggers bump it on every reference upload
/// and production move, whichever process made them) and at once by <see cref="Invalidate"/> in this process.
/// Stamps are read for all models in one query at most every <see cref="StampCheckInterval"/>: a summary never
/// queries SQLite for its baseline. Decoded references live in the shared <see cref="AggregateCache"/> (bounded by
/// <c>Portal:Aggregates:CacheMegabytes</c>), not per model for ever: a fleet of models with large references fits.
/// </summary>
public sealed class Baselines(ReferenceStore references, SqliteConnectionFactory connections, TimeProvider clock, AggregateCache? cache = null)
{
    public static readonly TimeSpan StampCheckInterval = TimeSpan.FromSeconds(2);

    private const string SelectStamps = "SELECT model_pk, stamp FROM baseline_stamps";
    private const string SelectStamp = "SELECT COALESCE((SELECT stamp FROM baseline_stamps WHERE model_pk = @ModelPk), 0)";

    private readonly ConcurrentDictionary<long, ModelEntry> _models = new();
    private readonly AggregateCache _samples = cache ?? new AggregateCache(new AggregateOptions().CacheMegabytes * 1024L * 1024L);
    private readonly Lock _stampLock = new();
    private long _lastStampCheck = long.MinValue;

    /// <summary>Raised with the model id when its baseline may have changed (the live feed recomputes its summaries).</summary>
    public event Action<ModelDefinition>? Invalidated;

    /// <summary>What a window of one version (or all, when null) is compared with; null when no version has a reference.</summary>
    public ReferenceSample? For(ModelDefinition model, long? versionPk) =>
        versionPk is { } pk ? Reference(model, pk) ?? Baseline(model) : Baseline(model);

    /// <summary>The decoded reference of a version; null when it has none.</summary>
    public ReferenceSample? Reference(ModelDefinition model, long versionPk)
    {
        var entry = Entry(model);
        if (!entry.Versions.Any(v => v.VersionPk == versionPk && v.Rows > 0)) return null;
        var version = entry.Versions.First(v => v.VersionPk == versionPk).Version;
        var key = new SampleKey(model.Pk, versionPk, entry.Stamp, entry.Generation);
        if (_samples.TryGet<ReferenceSample>(key, out var held)) return held;
        // Two first reads at once may both decode it; the second Put replaces the first, both are the same rows.
        if (references.Load(model, versionPk, version) is not { } sample) return null;
        _samples.Put(key, sample, sample.EstimatedBytes());
        return sample;
    }

    /// <summary>The model's baseline: the production version's reference if it has one, else the newest with one.</summary>
    public ReferenceSample? Baseline(ModelDefinition model)
    {
        foreach (var (versionPk, _, rows) in Entry(model).Versions)
        {
            if (rows > 0) return Reference(model, versionPk);
        }
        return null;
    }

    /// <summary>Drops the model's cached baseline now (this process wrote a reference or moved production).</summary>
    public void Invalidate(ModelDefinition model)
    {
        Forget(model);
        Invalidated?.Invoke(model);
    }

    /// <summary>Drops the cached baseline without telling anyone (the aggregator, after a committed reference upload).</summary>
    internal void Forget(ModelDefinition model)
    {
        _generations.AddOrUpdate(model.Pk, 1, (_, g) => g + 1);
        _models.TryRemove(model.Pk, out _);
        _samples.RemoveWhere((key, _) => key is SampleKey k && k.ModelPk == model.Pk);
    }

    // Bumped by every Forget: an entry read before a Forget but stored after it is dropped again, not kept stale.
    private readonly ConcurrentDictionary<long, long> _generations = new();

    private ModelEntry Entry(ModelDefinition model)
    {
        DropStale();
        if (_models.TryGetValue(model.Pk, out var entry)) return entry;
        // Stamp first: a change that lands between the two reads makes the entry stale, never wrongly fresh.
        var generation = _generations.GetValueOrDefault(model.Pk);
        long stamp;
        using (var connection = connections.Open()) stamp = connection.ExecuteScalar<long>(SelectStamp, new { ModelPk = model.Pk });
        entry = new ModelEntry(stamp, generation, references.Versions(model));
        var stored = _models.GetOrAdd(model.Pk, entry);
        if (_generations.GetValueOrDefault(model.Pk) != generation) _models.TryRemove(new KeyValuePair<long, ModelEntry>(model.Pk, stored));
        return stored;
    }

    private void DropStale()
    {
        var now = clock.GetTimestamp();
        lock (_stampLock)
        {
            if (_lastStampCheck != long.MinValue && clock.GetElapsedTime(_lastStampCheck, now) < StampCheckInterval) return;
            _lastStampCheck = now;
        }
        if (_models.IsEmpty) return;
        Dictionary<long, long> stamps;
        using (var connection = connections.Open())
            stamps = connection.Query<(long, long)>(SelectStamps).ToDictionary(s => s.Item1, s => s.Item2);
        foreach (var (modelPk, entry) in _models)
        {
            if (stamps.GetValueOrDefault(modelPk) != entry.Stamp) _models.TryRemove(new KeyValuePair<long, ModelEntry>(modelPk, entry));
        }
    }

    private sealed record ModelEntry(long Stamp, long Generation, IReadOnlyList<(long VersionPk, string Version, int Rows)> Versions);

    // A stale entry's samples are never found again (new stamp or generation) and age out of the cache.
    private readonly record struct SampleKey(long ModelPk, long VersionPk, long Stamp, long Generation);
}
