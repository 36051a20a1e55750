namespace ModelWatch.Engine.Registry;

/// <summary>Checks a model registration and turns it into a feature schema; every problem is reported at once.</summary>
public static class ModelValidation
{
    public const int MaxFeatures = 1_000;

    public static List<FieldError> Validate(NewModel request, out ModelTask task, out List<FeatureSpec> features)
    {
        var errors = new List<FieldError>();
        features = [];
        task = default;
        if (!Slug.IsValid(request.Id)) errors.Add(new("id", $"'id' must be {Slug.Rule}."));
        if (string.IsNullOrWhiteSpace(request.Name) || request.Name.Length > 200) errors.Add(new("name", "'name' is required (at most 200 characters)."));
        if (!ModelTaskNames.TryParse(request.Task, out task))
            errors.Add(new("task", $"'task' must be one of {ModelTaskNames.Binary}, {ModelTaskNames.Multiclass}, {ModelTaskNames.Regression}."));
        if (request.Team is not null && !Slug.IsValid(request.Team)) errors.Add(new("team", "'team' must be the id of an existing team."));
        if (request.DecisionThreshold is { } t && (t <= 0 || t >= 1 || double.IsNaN(t))) errors.Add(new("decisionThreshold", "'decisionThreshold' must be between 0 and 1 (exclusive)."));
        if (request.LatencySloMs is { } slo && !(slo > 0 && double.IsFinite(slo))) errors.Add(new("latencySloMs", "'latencySloMs' must be a finite, positive number of milliseconds."));
        if (request.MonthlyBudgetUsd is { } budget && !(budget >= 0 && double.IsFinite(budget))) errors.Add(new("monthlyBudgetUsd", "'monthlyBudgetUsd' must be a finite amount, zero or more."));

        var declared = request.Features ?? [];
        if (declared.Count > MaxFeatures) errors.Add(new("features", $"At most {MaxFeatures} features can be declared."));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < declared.Count; i++)
        {
            var f = declared[i];
            var at = $"features[{i}]";
            if (f is null) { errors.Add(new(at, "A feature must be an object.")); continue; }
            if (string.IsNullOrWhiteSpace(f.Name) || f.Name.Length > 128) { errors.Add(new($"{at}.name", "A feature needs a 'name' (at most 128 characters).")); continue; }
            if (!seen.Add(f.Name)) errors.Add(new($"{at}.name", $"Feature '{f.Name}' is declared twice."));
            switch (f.Type)
            {
                case "numerical":
                    if (f.Min is { } min && f.Max is { } max && min > max) errors.Add(new($"{at}.min", $"Feature '{f.Name}': 'min' ({min}) is greater than 'max' ({max})."));
                    if (f.Categories is { Count: > 0 }) errors.Add(new($"{at}.categories", $"Feature '{f.Name}' is numerical; 'categories' applies only to categorical features."));
                    features.Add(new FeatureSpec(f.Name, FeatureType.Numerical, f.Min, f.Max));
                    break;
                case "categorical":
                    if (f.Min is not null || f.Max is not null) errors.Add(new($"{at}.min", $"Feature '{f.Name}' is categorical; 'min' and 'max' apply only to numerical features."));
                    var categories = f.Categories?.Where(c => c is not null).Distinct(StringComparer.Ordinal).ToList() ?? [];
                    if (categories.FirstOrDefault(c => c.Length > Ingestion.StringCaps.MaxLength) is { } tooLong)
                        errors.Add(new($"{at}.categories", $"Feature '{f.Name}' declares a category of {tooLong.Length} characters; categories are {Ingestion.StringCaps.Rule}."));
                    features.Add(new FeatureSpec(f.Name, FeatureType.Categorical, Categories: categories));
                    break;
                default:
                    errors.Add(new($"{at}.type", $"Feature '{f.Name}': 'type' must be 'numerical' or 'categorical'."));
                    break;
            }
        }
        return errors;
    }
}
