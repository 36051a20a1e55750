using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using ModelWatch.Engine;

namespace ModelWatch.Portal;

/// <summary>RFC 7807 problem responses with an actionable detail and, for batches, every offending item.</summary>
public static class Problems
{
    public static ProblemHttpResult Create(int status, string title, string detail, IReadOnlyList<FieldError>? errors = null)
    {
        var problem = new ProblemDetails { Status = status, Title = title, Detail = detail };
        if (errors is { Count: > 0 })
            problem.Extensions["errors"] = errors.Select(e => new { index = e.Index, field = e.Field, reason = e.Reason }).ToList();
        return TypedResults.Problem(problem);
    }

    public static ProblemHttpResult BadRequest(string detail, IReadOnlyList<FieldError>? errors = null) => Create(400, "The request is invalid", detail, errors);
    public static ProblemHttpResult NotFound(string detail) => Create(404, "Not found", detail);
    public static ProblemHttpResult Forbidden(string detail) => Create(403, "Not allowed", detail);
    public static ProblemHttpResult Conflict(string detail) => Create(409, "Conflict", detail);

    public static ProblemHttpResult From<T>(Outcome<T> outcome) => outcome.Kind switch
    {
        OutcomeKind.NotFound => NotFound(outcome.Message ?? "Not found."),
        OutcomeKind.Conflict => Conflict(outcome.Message ?? "Conflict."),
        OutcomeKind.Forbidden => Forbidden(outcome.Message ?? "Not allowed."),
        _ => BadRequest(outcome.Errors.Count == 1 ? outcome.Errors[0].Reason : outcome.Message ?? "The request is invalid.", outcome.Errors),
    };

    /// <summary>
    /// For places outside endpoint results (authentication challenges, middleware, health checks). Goes through the
    /// same problem-details service as endpoint results, so these bodies carry <c>type</c> and <c>traceId</c> too.
    /// </summary>
    public static async Task Write(HttpContext context, int status, string title, string detail, IReadOnlyDictionary<string, object?>? extensions = null)
    {
        context.Response.StatusCode = status;
        var problem = new ProblemDetails { Status = status, Title = title, Detail = detail };
        foreach (var (key, value) in extensions ?? new Dictionary<string, object?>()) problem.Extensions[key] = value;
        if (context.RequestServices.GetService<IProblemDetailsService>() is { } service &&
            await service.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem }))
            return;
        // The client's Accept header ruled out JSON: answer in JSON anyway, with the same fields.
        problem.Type ??= "about:blank";
        problem.Extensions["traceId"] = System.Diagnostics.Activity.Current?.Id ?? context.TraceIdentifier;
        await context.Response.WriteAsJsonAsync(problem, options: null, contentType: "application/problem+json");
    }
}
