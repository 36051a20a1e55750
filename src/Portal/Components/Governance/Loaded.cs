using ModelWatch.Engine;

namespace ModelWatch.Portal.Components.Governance;

public enum LoadStatus { Loading, Ready, NotFound, NotAllowed, Error }

/// <summary>What a page read for a caller: the data, or why there is none (decided on the server before reading).</summary>
public sealed record Loaded<T>(LoadStatus Status, T? Value, string? Message = null)
{
    public static Loaded<T> Ready(T value) => new(LoadStatus.Ready, value);
    public static Loaded<T> NotFound(string message) => new(LoadStatus.NotFound, default, message);
    public static Loaded<T> NotAllowed(string message) => new(LoadStatus.NotAllowed, default, message);
    public static Loaded<T> Failed(string message) => new(LoadStatus.Error, default, message);
}

/// <summary>The engine's refusal or validation message as one line a person can act on.</summary>
public static class OutcomeText
{
    public static string? Problem<T>(Outcome<T> outcome)
    {
        if (outcome.IsOk) return null;
        var fields = outcome.Errors.Select(e => e.Reason).Where(r => r != outcome.Message).ToList();
        var head = outcome.Message ?? (outcome.Kind == OutcomeKind.Forbidden ? "You may not do this." : "The change was not made.");
        return fields.Count == 0 ? head : head + " " + string.Join(" ", fields);
    }

    public static Outcome<T> Forbidden<T>(string message) => new(OutcomeKind.Forbidden, default, [], message);
}
