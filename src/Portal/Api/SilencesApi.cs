using Microsoft.AspNetCore.Http.HttpResults;
using ModelWatch.Engine.Access;
using ModelWatch.Engine.Alerting;

using ModelWatch.Portal.Auth;

namespace ModelWatch.Portal.Api;

/// <summary>Silences, as in Alertmanager: matchers over alert labels for a time; silenced alerts still show but notify nobody.</summary>
public static class SilencesApi
{
    public static RouteGroupBuilder MapSilencesApi(this RouteGroupBuilder api)
    {
        api.MapPost("/silences", Add).WithName("AddSilence").JsonBody<SilenceSpec>()
            .WithSummary("Silence alerts whose labels match, from startsAt (default now) to endsAt, with a comment. Non-admins name a model or team of their own.");
        api.MapGet("/silences", List).WithName("ListSilences").WithSummary("Active, upcoming and recently ended silences the caller may see.");
        api.MapDelete("/silences/{id}", Expire).WithName("ExpireSilence").WithSummary("End a silence now (admin, its author or a member of its team).");
        return api;
    }

    private static async Task<Results<Created<SilenceResponse>, ProblemHttpResult>> Add(HttpRequest request, ApiCaller callers, SilenceStore silences,
        TimeProvider clock, CancellationToken ct)
    {
        var caller = callers.Of(request.HttpContext)!;
        if (caller.IsReadOnly) return Problems.Forbidden("Auditors read everything and change nothing.");
        var (spec, problem) = await RequestBody.ReadObjectAsync<SilenceSpec>(request, ct);
        if (spec is null) return problem!;
        var outcome = silences.Add(spec, caller);
        return outcome.IsOk
            ? TypedResults.Created($"/api/v1/silences/{outcome.Value!.Id}", SilenceResponse.From(outcome.Value, clock.GetUtcNow()))
            : Problems.From(outcome);
    }

    private static Ok<List<SilenceResponse>> List(HttpContext context, ApiCaller callers, SilenceStore silences, TimeProvider clock)
    {
        var caller = callers.Of(context)!;
        var now = clock.GetUtcNow();
        return TypedResults.Ok(silences.Recent().Where(s => Sees(caller, s)).Select(s => SilenceResponse.From(s, now)).ToList());
    }

    private static Results<NoContent, ProblemHttpResult> Expire(string id, HttpContext context, ApiCaller callers, SilenceStore silences)
    {
        var caller = callers.Of(context)!;
        var silence = silences.Find(id);
        // Another team's silence answers as an unknown one, like another team's model.
        if (silence is not null && !Sees(caller, silence)) RefusalAudit.MarkRefused(context); // audited, though answered as unknown
        if (silence is null || !Sees(caller, silence)) return Problems.NotFound($"There is no silence '{id}' you may see; list yours with GET /api/v1/silences.");
        var outcome = silences.ExpireSilence(id, caller);
        return outcome.IsOk ? TypedResults.NoContent() : Problems.From(outcome);
    }

    private static bool Sees(Caller caller, Silence silence) => silence.VisibleTo(caller);
}
