using Microsoft.Extensions.Options;

namespace ModelWatch.Engine.Windows;

/// <summary>Rejects a headline metric no task knows, naming the configuration key, so a typo stops start-up.</summary>
public sealed class MetricOptionsValidation : IValidateOptions<MetricOptions>
{
    private static readonly string[] Known = ["accuracy", "balancedAccuracy", "f1", "macroF1", "mae"];

    public ValidateOptionsResult Validate(string? name, MetricOptions options)
    {
        var wrong = options.Headline.Where(h => !Known.Contains(h.Value)).Select(h => $"{MetricOptions.Section}:Headline:{h.Key} is '{h.Value}'; use one of {string.Join(", ", Known)}.").ToList();
        return wrong.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(wrong);
    }
}
