using Microsoft.Extensions.Options;
using ModelWatch.Engine.Demo;

namespace ModelWatch.Portal.Security;

/// <summary>
/// The demo's users share a password published in the README. In Production that would let anyone in as dana, omar
/// or alice (who reads every model and the whole audit log), so start-up stops unless the demo is off or has a
/// password of its own.
/// </summary>
public sealed class DemoPasswordValidation(IHostEnvironment environment) : IValidateOptions<DemoOptions>
{
    public ValidateOptionsResult Validate(string? name, DemoOptions options)
    {
        if (!environment.IsProduction() || !options.Enabled || options.EffectivePassword != DemoOptions.DefaultPassword)
            return ValidateOptionsResult.Success;
        return ValidateOptionsResult.Fail(
            "The demo is on (Portal:Demo:Enabled) with its published default password in the Production environment, so anyone could sign in " +
            "as the demo users. Turn the demo off with Portal__Demo__Enabled=false, or give it a password of your own with " +
            "Portal__Demo__Password=<at least 8 characters>. (For a local trial, run with ASPNETCORE_ENVIRONMENT=Development.)");
    }
}
