using System.ComponentModel.DataAnnotations;

namespace ModelWatch.Engine.Demo;

/// <summary>The demo traffic simulator. Bound from Portal:Demo; on by default so a first start has something to show.</summary>
public sealed class DemoOptions : IValidatableObject
{
    /// <summary>Password of the demo users (dana, omar, alice, and admin unless Bootstrap created it); documented in the README.</summary>
    public const string DefaultPassword = "demo-pass-2026";

    public bool Enabled { get; set; } = true;

    /// <summary>Predictions per second across all demo models.</summary>
    [Range(0.1, 100_000)]
    public double EventsPerSecond { get; set; } = 50;

    /// <summary>Overrides <see cref="DefaultPassword"/>; at least 8 characters.</summary>
    public string? Password { get; set; }

    /// <summary>Share of predictions that later receive a ground-truth label.</summary>
    [Range(0.0, 1.0)]
    public double LabelShare { get; set; } = 0.35;

    public TimeSpan LabelDelayMin { get; set; } = TimeSpan.FromMinutes(1);

    public TimeSpan LabelDelayMax { get; set; } = TimeSpan.FromMinutes(4);

    /// <summary>Length of the repeating episode schedule, measured from the simulator's start.</summary>
    public TimeSpan EpisodeCycle { get; set; } = TimeSpan.FromMinutes(20);

    /// <summary>Seed of the simulator's random numbers, so a run can be reproduced.</summary>
    public int Seed { get; set; } = 2026;

    public string EffectivePassword => string.IsNullOrEmpty(Password) ? DefaultPassword : Password;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrEmpty(Password) && Password.Length < 8)
            yield return new ValidationResult("Portal:Demo:Password needs at least 8 characters (or leave it empty for the documented demo password).", [nameof(Password)]);
        if (LabelDelayMin < TimeSpan.Zero || LabelDelayMax > TimeSpan.FromDays(1) || LabelDelayMin > LabelDelayMax)
            yield return new ValidationResult("Portal:Demo:LabelDelayMin and LabelDelayMax must satisfy 0 ≤ min ≤ max ≤ 1 day, e.g. \"00:01:00\" and \"00:04:00\".", [nameof(LabelDelayMin), nameof(LabelDelayMax)]);
        if (EpisodeCycle < TimeSpan.FromMinutes(1) || EpisodeCycle > TimeSpan.FromDays(7))
            yield return new ValidationResult("Portal:Demo:EpisodeCycle must be between 00:01:00 and 7.00:00:00.", [nameof(EpisodeCycle)]);
    }
}
