using System.Text.Json.Serialization;
using ModelWatch.Engine.Registry;
using ModelWatch.Engine.Statistics.Drift;

namespace ModelWatch.Engine.Windows;

/// <summary>Per-feature overrides of the drift thresholds; unset values fall back to the model's.</summary>
public sealed record FeatureThresholds(double? PValueThreshold = null, double? WassersteinNormalizedThreshold = null, double? JensenShannonThreshold = null);

/// <summary>
/// What drift is measured against: the version's uploaded baseline (default), or an earlier production window
/// of this model (e.g. a week that was known to be good), merged from its buckets.
/// </summary>
public sealed record DriftReference(string Kind = DriftReference.Baseline, DateTimeOffset? From = null, DateTimeOffset? To = null)
{
    public const string Baseline = "baseline";
    public const string Window = "window";

    [JsonIgnore] public bool IsWindow => Kind == Window;
}

/// <summary>
/// A model's drift decisions. Defaults are Evidently's: reference ≤ 1,000 rows → KS / chi-square at p &lt; 0.05,
/// larger → normalised Wasserstein / Jensen–Shannon ≥ 0.1; dataset drift when half the features drift.
/// </summary>
public sealed record DriftSettings(
    DriftReference? Reference = null,
    int? SmallReferenceMaxRows = null,
    double? PValueThreshold = null,
    double? WassersteinNormalizedThreshold = null,
    double? JensenShannonThreshold = null,
    double? PsiModerate = null,
    double? PsiSignificant = null,
    double? DatasetDriftShare = null,
    IReadOnlyDictionary<string, FeatureThresholds>? Features = null)
{
    public static readonly DriftSettings Default = new();

    /// <summary>The policy for the model as a whole (dataset drift, prediction drift).</summary>
    public DriftPolicy ModelPolicy()
    {
        var d = DriftPolicy.Default;
        return d with
        {
            SmallReferenceMaxRows = SmallReferenceMaxRows ?? d.SmallReferenceMaxRows,
            PValueThreshold = PValueThreshold ?? d.PValueThreshold,
            WassersteinNormalizedThreshold = WassersteinNormalizedThreshold ?? d.WassersteinNormalizedThreshold,
            JensenShannonThreshold = JensenShannonThreshold ?? d.JensenShannonThreshold,
            PsiModerate = PsiModerate ?? d.PsiModerate,
            PsiSignificant = PsiSignificant ?? d.PsiSignificant,
            DatasetDriftShare = DatasetDriftShare ?? d.DatasetDriftShare,
        };
    }

    /// <summary>The policy for one feature: the model's, with that feature's overrides.</summary>
    public DriftPolicy FeaturePolicy(DriftPolicy model, string feature) =>
        Features?.GetValueOrDefault(feature) is not { } f ? model : model with
        {
            PValueThreshold = f.PValueThreshold ?? model.PValueThreshold,
            WassersteinNormalizedThreshold = f.WassersteinNormalizedThreshold ?? model.WassersteinNormalizedThreshold,
            JensenShannonThreshold = f.JensenShannonThreshold ?? model.JensenShannonThreshold,
        };

    /// <summary>Every problem at once, with the field that has it.</summary>
    public List<FieldError> Validate(ModelDefinition model, DateTimeOffset now, TimeSpan retention)
    {
        var errors = new List<FieldError>();
        void Range(double? value, string field, double min, double max, bool minInclusive = false)
        {
            if (value is { } v && (double.IsNaN(v) || (minInclusive ? v < min : v <= min) || v > max))
                errors.Add(new FieldError(field, $"'{field}' must be {(minInclusive ? "at least" : "above")} {min} and at most {max} (got {v})."));
        }
        Range(PValueThreshold, "pValueThreshold", 0, 0.5);
        Range(WassersteinNormalizedThreshold, "wassersteinNormalizedThreshold", 0, 100);
        Range(JensenShannonThreshold, "jensenShannonThreshold", 0, Math.Sqrt(Math.Log(2)));
        Range(PsiModerate, "psiModerate", 0, 100);
        Range(PsiSignificant, "psiSignificant", 0, 100);
        Range(DatasetDriftShare, "datasetDriftShare", 0, 1);
        if (SmallReferenceMaxRows is < 0) errors.Add(new FieldError("smallReferenceMaxRows", "'smallReferenceMaxRows' must be zero or more."));
        var policy = ModelPolicy();
        if (policy.PsiModerate >= policy.PsiSignificant) errors.Add(new FieldError("psiSignificant", $"'psiSignificant' ({policy.PsiSignificant}) must be above 'psiModerate' ({policy.PsiModerate})."));
        foreach (var (name, f) in Features ?? new Dictionary<string, FeatureThresholds>())
        {
            if (!model.TryGetFeatureOrdinal(name, out _)) { errors.Add(new FieldError($"features.{name}", $"Model '{model.Id}' declares no feature '{name}'.")); continue; }
            Range(f.PValueThreshold, $"features.{name}.pValueThreshold", 0, 0.5);
            Range(f.WassersteinNormalizedThreshold, $"features.{name}.wassersteinNormalizedThreshold", 0, 100);
            Range(f.JensenShannonThreshold, $"features.{name}.jensenShannonThreshold", 0, Math.Sqrt(Math.Log(2)));
        }
        if (Reference is { } r)
        {
            if (r.Kind is not (DriftReference.Baseline or DriftReference.Window))
                errors.Add(new FieldError("reference.kind", "'reference.kind' must be \"baseline\" or \"window\"."));
            else if (r.IsWindow)
            {
                if (r.From is not { } from || r.To is not { } to || from >= to)
                    errors.Add(new FieldError("reference", "A window reference needs 'from' before 'to' (ISO 8601 times with an offset)."));
                else if (to > now)
                    errors.Add(new FieldError("reference.to", "The reference window must lie in the past."));
                else if (from < now - retention)
                    errors.Add(new FieldError("reference.from", $"The reference window must start within the last {retention.TotalDays:0} days, which the minute buckets keep; upload a baseline for anything older."));
            }
        }
        return errors;
    }
}
