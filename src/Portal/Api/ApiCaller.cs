using Microsoft.AspNetCore.Http.HttpResults;
using ModelWatch.Engine.Access;
using ModelWatch.Engine.Registry;
using ModelWatch.Portal.Auth;

namespace ModelWatch.Portal.Api;

/// <summary>Resolves the caller of an API request and the model it names, with the 401 / 403 / 404 answers.</summary>
public sealed class ApiCaller(CallerResolver resolver, RegistryStore registry)
{
    public Caller? Of(HttpContext context) => resolver.Resolve(context.User);

    public (Caller? Caller, ModelDefinition? Model, ProblemHttpResult? Problem) Model(HttpContext context, string modelId, bool write)
    {
        var caller = Of(context);
        if (caller is null) return (null, null, Problems.Create(401, "Authentication required", $"Send an API key in the {PortalClaims.ApiKeyHeader} header."));
        var model = registry.FindModel(modelId);
        if (model is not null && !caller.CanRead(model))
        {
            // Another team's model answers exactly like a missing one: 403 would confirm it exists and name its owner.
            RefusalAudit.MarkRefused(context);
            model = null;
        }
        if (model is null) return (caller, null, Problems.NotFound($"Model '{modelId}' is not registered (or is not visible to you). Register it with POST /api/v1/models, or check the id with GET /api/v1/models."));
        if (write && !caller.CanWrite(model))
            return (caller, null, Problems.Forbidden($"Model '{modelId}' belongs to team '{model.TeamId ?? "(none)"}'; only that team's keys and members, or an admin, may write to it; auditors change nothing."));
        return (caller, model, null);
    }
}
