using Dapper;
using ModelWatch.Engine.Ingestion;
using ModelWatch.Engine.Registry;
using ModelWatch.Engine.Statistics.Drift;
using ModelWatch.Engine.Storage;
using System.Collections.Concurrent;
using ModelWatch.Engine.Statistics.Sketches;

namespace ModelWatch.Engine.Windows;

/// <summary>Reads reference (baseline) rows back, decoded per feature, for drift comparisons.</summary>
public sealed class ReferenceStore(SqliteConnectionFactory connections)
{
    private const string SelectVersionsWithReference = """
        SELECT v.pk AS VersionPk, v.version AS Version, COUNT(r.row_no) AS Rows
        FROM model_versions v LEFT JOIN reference_rows r ON r.version_pk = v.pk
        WHERE v.model_pk = @ModelPk
        GROUP BY v.pk
        ORDER BY v.pk IN (SELECT a.version_pk FROM model_aliases a WHERE a.model_pk = @ModelPk AND a.alias = 'production') DESC, v.created_at DESC, v.pk DESC
        """;
    private const string SelectRows = "SELECT features, prediction_num, prediction_text, label_num, label_text FROM reference_rows WHERE version_pk = @VersionPk ORDER BY row_no";

    /// <summary>The production alias's version first, then newest first, with how many reference rows each has.</summary>
    public IReadOnlyList<(long VersionPk, string Version, int Rows)> Versions(ModelDefinition model)
    {
        using var connection = connections.Open();
        return connection.Query<(long, string, long)>(SelectVersionsWithReference, new { ModelPk = model.Pk })
            .Select(v => (v.Item1, v.Item2, (int)v.Item3)).ToList();
    }

    public ReferenceSample? Load(ModelDefinition model, long versionPk, string version)
    {
        using var connection = connections.Open();
        using var reader = connection.ExecuteReader(SelectRows, new { VersionPk = versionPk });
        var sample = new ReferenceSample(model, versionPk, version);
        while (reader.Read())
        {
            var features = (byte[])reader.GetValue(0);
            double? prediction = reader.IsDBNull(1) ? null : reader.GetDouble(1);
            string? predictedClass = reader.IsDBNull(2) ? null : reader.GetString(2);
            double? label = reader.IsDBNull(3) ? null : reader.GetDouble(3);
            sample.Add(FeatureCodec.Decode(features), prediction, predictedClass, label);
        }
        if (sample.Rows == 0) return null;
        sample.TrimExcess();
        return sample;
    }
}

/// <summary>A version's baseline, column by column: numbers per numerical feature, strings per categorical one.</summary>
public sealed class ReferenceSample : IDriftReference
{
    private readonly List<double>[] _numbers;
    private readonly List<string?>[] _categories;
    private readonly List<double> _predictionNumbers = [];
    private readonly List<string?> _predictionClasses = [];
    private readonly List<double> _residuals = [];

    public ReferenceSample(ModelDefinition model, long versionPk, string version)
    {
        Model = model;
        VersionPk = versionPk;
        Version = version;
        _numbers = model.Features.Select(_ => new List<double>()).ToArray();
        _categories = model.Features.Select(_ => new List<string?>()).ToArray();
    }

    public ModelDefinition Model { get; }
    public long VersionPk { get; }
    public string Version { get; }
    public int Rows { get; private set; }

    // Grouped like every other count on the page: "(2,000 rows)" beside "2,000 predictions".
    public string Name => $"baseline of version {Version} ({Rows.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)} {(Rows == 1 ? "row" : "rows")})";

    public const int PredictionColumn = -1;
    public const int ResidualColumn = -2;

    // Summaries are computed many times a second for live panels; the reference side never changes, so sketch it once.
    private readonly ConcurrentDictionary<int, (NumericSketch? Sketch, BinEdges? Edges)> _sketches = new();
    private readonly ConcurrentDictionary<int, CappedCounts> _categoryCounts = new();

    /// <summary>The reference column as a sketch (null when it has no finite value); cached per column.</summary>
    public NumericSketch? Sketch(int column) => Sketched(column).Sketch;

    /// <summary>Reference-quantile edges from the exact values (not the sketch); cached per column.</summary>
    public BinEdges? QuantileEdges(int column) => Sketched(column).Edges;

    private (NumericSketch? Sketch, BinEdges? Edges) Sketched(int column) => _sketches.GetOrAdd(column, c =>
    {
        IReadOnlyList<double> values = c switch { PredictionColumn => _predictionNumbers, ResidualColumn => _residuals, _ => _numbers[c] };
        var all = values.ToArray();
        var sketch = NumericSketch.Of(all);
        sketch.Seal(); // read by concurrent summaries, kept as long as the baseline: settled and trimmed once
        return sketch.Count == 0 ? (null, null) : (sketch, BinEdges.FromReference(all, SketchDrift.ReferenceQuantileBins));
    });

    /// <summary>Category counts of a categorical column, or of the predicted classes; cached. Uncapped: an upload is bounded.</summary>
    public CappedCounts CategoryTally(int column) => _categoryCounts.GetOrAdd(column, c =>
    {
        var counts = new CappedCounts(int.MaxValue);
        foreach (var v in c == PredictionColumn ? _predictionClasses : _categories[c]) if (v is not null) counts.Add(v);
        return counts;
    });

    public IReadOnlyList<double> Numbers(int ordinal) => _numbers[ordinal];
    public IReadOnlyList<string?> Categories(int ordinal) => _categories[ordinal];
    public IReadOnlyList<double> PredictionNumbers => _predictionNumbers;
    public IReadOnlyList<string?> PredictionClasses => _predictionClasses;
    public IReadOnlyList<double> Residuals => _residuals;

    // Category values repeat on every row: one string per distinct value while loading, dropped once loaded.
    private Dictionary<string, string>? _pool = new(StringComparer.Ordinal);
    private long _textBytes;

    /// <summary>
    /// About how many bytes this baseline holds once its columns are sketched (what the cache charges): the values,
    /// each distinct category once, and per numerical column a sealed sketch of at most 512 buckets and its edges.
    /// </summary>
    internal long EstimatedBytes()
    {
        long bytes = 1024 + _textBytes;
        foreach (var list in _numbers.Append(_predictionNumbers).Append(_residuals))
            bytes += 64 + 8L * list.Capacity + (list.Count == 0 ? 0 : 256 + 16L * Math.Min(list.Count, NumericSketch.DefaultMaxBuckets) + 8L * (SketchDrift.ReferenceQuantileBins + 1));
        foreach (var list in _categories.Append(_predictionClasses)) bytes += 64 + 8L * list.Capacity;
        return bytes;
    }

    private string Pooled(string text)
    {
        if (_pool is null) return text;
        if (_pool.TryGetValue(text, out var pooled)) return pooled;
        _textBytes += 64 + 2L * text.Length; // the string, its pool entry and its tally entry
        return _pool[text] = text;
    }

    /// <summary>Gives back the lists' spare capacity once loaded (a baseline is kept for as long as it is in use).</summary>
    internal void TrimExcess()
    {
        _pool = null;
        foreach (var list in _numbers) list.TrimExcess();
        foreach (var list in _categories) list.TrimExcess();
        _predictionNumbers.TrimExcess();
        _predictionClasses.TrimExcess();
        _residuals.TrimExcess();
    }

    internal void Add(List<DecodedFeature> features, double? prediction, string? predictedClass, double? label)
    {
        Rows++;
        var seen = new bool[Model.Features.Count];
        foreach (var f in features)
        {
            if (f.Ordinal < 0 || seen[f.Ordinal]) continue;
            seen[f.Ordinal] = true;
            if (Model.Features[f.Ordinal].Type == FeatureType.Numerical) _numbers[f.Ordinal].Add(f.Value.IsFiniteNumber ? f.Value.Number : double.NaN);
            else _categories[f.Ordinal].Add(f.Value.Kind == FeatureValueKind.Text ? Pooled(f.Value.Text!) : null);
        }
        for (var i = 0; i < seen.Length; i++)
        {
            if (seen[i]) continue;
            if (Model.Features[i].Type == FeatureType.Numerical) _numbers[i].Add(double.NaN);
            else _categories[i].Add(null);
        }
        if (prediction is { } p) _predictionNumbers.Add(p);
        if (predictedClass is not null) _predictionClasses.Add(Pooled(predictedClass));
        if (Model.Task == ModelTask.Regression && prediction is { } y_hat && label is { } y) _residuals.Add(y_hat - y);
    }
}
