namespace ModelWatch.Engine.Ingestion;

/// <summary>Either every record of a batch, valid, or the reasons the whole batch is refused.</summary>
public sealed record ParsedBatch<T>(IReadOnlyList<T> Records, string? Problem, IReadOnlyList<FieldError> Errors)
{
    public bool IsValid => Problem is null;

    public static ParsedBatch<T> Valid(IReadOnlyList<T> records) => new(records, null, []);
    /// <summary>A whole-body problem (e.g. malformed JSON) is listed under the field "body", so every 400 names a field.</summary>
    public static ParsedBatch<T> Refused(string problem, IReadOnlyList<FieldError>? errors = null) => new([], problem, errors ?? [new FieldError("body", problem)]);
    public static ParsedBatch<T> Refused(BatchErrors errors, string what) => new([], errors.Summary(what), errors.Listed);
}
