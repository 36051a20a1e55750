using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using ModelWatch.Engine.Access;
using ModelWatch.Portal.Components.Governance;
using ModelWatch.Portal.Components.ViewModels;

namespace ModelWatch.Portal.Components.Pages.Governance;

/// <summary>
/// What every governance page shares: the viewer the layout cascades, and the caller for a change re-read from the
/// user store at the moment of the change (a lead removed a minute ago is no longer a lead), so access is decided
/// on the server by the engine each time, whatever buttons the page showed.
/// </summary>
public abstract class GovernancePageBase : ComponentBase
{
    [CascadingParameter] public Viewer? Viewer { get; set; }
    [CascadingParameter] public Task<AuthenticationState>? AuthenticationState { get; set; }
    [Inject] public required IViewerResolver Viewers { get; init; }

    /// <summary>The message of the last change refused or rejected by the engine, shown above the form that made it.</summary>
    protected string? Problem { get; set; }

    /// <summary>A short confirmation of the last change that was made.</summary>
    protected string? Done { get; set; }

    /// <summary>
    /// Reads what the page shows for the viewer. No viewer is "not allowed" and a failed read is an error state, so a
    /// page renders a message instead of tearing down the circuit.
    /// </summary>
    protected Loaded<T> Load<T>(Func<Caller, Loaded<T>> read)
    {
        if (Viewer is null) return Loaded<T>.NotAllowed("You are not signed in.");
        try
        {
            return read(Viewer.Caller);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return Loaded<T>.Failed(e.Message);
        }
    }

    protected async Task<Caller?> ActingCallerAsync()
    {
        if (AuthenticationState is null) return Viewer?.Caller;
        return Viewers.Resolve((await AuthenticationState).User)?.Caller;
    }

    /// <summary>Runs a change for the current caller and records its outcome for the page to show.</summary>
    protected async Task<bool> ChangeAsync<T>(Func<Caller, Engine.Outcome<T>> change, string done)
    {
        Problem = null;
        Done = null;
        var caller = await ActingCallerAsync();
        if (caller is null)
        {
            Problem = "Your session has ended or your user no longer exists; sign in again.";
            return false;
        }
        try
        {
            var outcome = change(caller);
            Problem = OutcomeText.Problem(outcome);
            if (outcome.IsOk) Done = done;
            return outcome.IsOk;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Problem = "The change failed: " + e.Message;
            return false;
        }
    }
}
