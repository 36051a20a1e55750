using System.Text.Json.Serialization;

namespace ModelWatch.Engine.Registry;

[JsonConverter(typeof(JsonStringEnumConverter<FeatureType>))]
public enum FeatureType
{
    [JsonStringEnumMemberName("numerical")] Numerical,
    [JsonStringEnumMemberName("categorical")] Categorical,
}

/// <summary>One declared input of a model. Min/Max bound numerical values; Categories list the known categorical values.</summary>
public sealed record FeatureSpec(string Name, FeatureType Type, double? Min = null, double? Max = null, IReadOnlyList<string>? Categories = null);
