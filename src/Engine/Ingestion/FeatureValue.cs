namespace ModelWatch.Engine.Ingestion;

public enum FeatureValueKind : byte { Null = 0, Number = 1, Text = 2, True = 3, False = 4, Raw = 5 }

/// <summary>One decoded feature value. Numbers that arrived as "NaN" or "Infinity" decode as non-finite numbers.</summary>
public readonly record struct FeatureValue(FeatureValueKind Kind, double Number, string? Text)
{
    public bool IsFiniteNumber => Kind == FeatureValueKind.Number && double.IsFinite(Number);
}

/// <summary>A decoded feature: its ordinal in the model's schema, or -1 with a name when undeclared.</summary>
public readonly record struct DecodedFeature(int Ordinal, string? UndeclaredName, FeatureValue Value);
