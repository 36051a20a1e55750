using Microsoft.AspNetCore.Components;
using ModelWatch.Engine;
using ModelWatch.Engine.Audit;

namespace ModelWatch.Portal.Components.Governance;

public partial class VerificationBanner : ComponentBase
{
    /// <summary>Null while the walk runs.</summary>
    [Parameter] public Outcome<AuditVerification>? Result { get; set; }
    [Parameter] public DateTimeOffset? CheckedAt { get; set; }

    private string State => Result switch
    {
        null => "checking",
        { IsOk: false } => "error",
        { Value.Valid: true } => "valid",
        _ => "broken",
    };
}
