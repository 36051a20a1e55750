using System.Text.Json;
using ModelWatch.Engine.Registry;

namespace ModelWatch.Engine.Ingestion;

/// <summary>Reads predictions and labels in the shape the model's task requires.</summary>
public static class TaskValues
{
    public static bool TryReadPrediction(ModelTask task, JsonElement value, out double? number, out string? cls, out string reason)
    {
        number = null; cls = null; reason = "";
        switch (task)
        {
            case ModelTask.BinaryClassification:
                if (value.ValueKind == JsonValueKind.Number && value.GetDouble() is var p && p >= 0 && p <= 1) { number = p; return true; }
                reason = $"must be the probability of the positive class, a number from 0 to 1 (got {Show(value)}).";
                return false;
            case ModelTask.MulticlassClassification:
                if (value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 and <= StringCaps.MaxLength } c) { cls = c; return true; }
                reason = $"must be the predicted class name, a non-empty string of {StringCaps.Rule} (got {Show(value)}).";
                return false;
            default:
                if (value.ValueKind == JsonValueKind.Number && double.IsFinite(value.GetDouble())) { number = value.GetDouble(); return true; }
                reason = $"must be a finite number for a regression model (got {Show(value)}).";
                return false;
        }
    }

    public static bool TryReadLabel(ModelTask task, JsonElement value, out double? number, out string? cls, out string reason)
    {
        number = null; cls = null; reason = "";
        switch (task)
        {
            case ModelTask.BinaryClassification:
                if (value.ValueKind == JsonValueKind.True) { number = 1; return true; }
                if (value.ValueKind == JsonValueKind.False) { number = 0; return true; }
                if (value.ValueKind == JsonValueKind.Number && value.GetDouble() is 0 or 1) { number = value.GetDouble(); return true; }
                reason = $"must be 0 or 1 (or false / true) for a binary classifier (got {Show(value)}).";
                return false;
            case ModelTask.MulticlassClassification:
                if (value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 and <= StringCaps.MaxLength } c) { cls = c; return true; }
                reason = $"must be the true class name, a non-empty string of {StringCaps.Rule} (got {Show(value)}).";
                return false;
            default:
                if (value.ValueKind == JsonValueKind.Number && double.IsFinite(value.GetDouble())) { number = value.GetDouble(); return true; }
                reason = $"must be a finite number for a regression model (got {Show(value)}).";
                return false;
        }
    }

    /// <summary>Optional class probabilities of a multiclass prediction: an object of class name to a number in [0, 1].</summary>
    public static bool TryReadProbabilities(JsonElement value, out string? json, out string reason)
    {
        json = null; reason = "";
        if (value.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined) return true;
        if (value.ValueKind != JsonValueKind.Object)
        {
            reason = $"must be an object of class name to probability (got {Show(value)}).";
            return false;
        }
        foreach (var p in value.EnumerateObject())
        {
            if (p.Name.Length > StringCaps.MaxLength)
            {
                reason = $"names a class of {p.Name.Length} characters; class names are {StringCaps.Rule}.";
                return false;
            }
            if (p.Value.ValueKind != JsonValueKind.Number || p.Value.GetDouble() is < 0 or > 1)
            {
                reason = $"class '{p.Name}' must have a probability from 0 to 1 (got {Show(p.Value)}).";
                return false;
            }
        }
        json = value.GetRawText();
        return true;
    }

    public static string Show(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => $"\"{Truncate(value.GetString()!)}\"",
        JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
        _ => JsonBody.Describe(value.ValueKind),
    };

    private static string Truncate(string s) => s.Length <= 40 ? s : s[..40] + "…";
}
