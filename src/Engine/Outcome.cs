namespace ModelWatch.Engine;

/// <summary>One thing wrong with a request, precise enough for a person to fix it.</summary>
/// <param name="Index">Position of the offending item in a batch, when the request is a batch.</param>
public sealed record FieldError(string Field, string Reason, int? Index = null);

public enum OutcomeKind { Ok, Invalid, NotFound, Conflict, Forbidden }

/// <summary>The Engine reports expected failures as values; exceptions are for bugs and broken disks.</summary>
public sealed record Outcome<T>(OutcomeKind Kind, T? Value, IReadOnlyList<FieldError> Errors, string? Message = null)
{
    public bool IsOk => Kind == OutcomeKind.Ok;

    public static Outcome<T> Ok(T value) => new(OutcomeKind.Ok, value, []);
    public static Outcome<T> Invalid(IReadOnlyList<FieldError> errors, string message = "The request has invalid fields.") => new(OutcomeKind.Invalid, default, errors, message);
    public static Outcome<T> Invalid(string field, string reason) => Invalid([new FieldError(field, reason)], reason);
    public static Outcome<T> NotFound(string message) => new(OutcomeKind.NotFound, default, [], message);
    public static Outcome<T> Conflict(string message) => new(OutcomeKind.Conflict, default, [], message);
}
