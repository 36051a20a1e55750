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
        if (model is null) return (caller, null, Problems.NotFound($"Model '{modelId}' is not registered. Register it with POST /api/v1/models, or check the id with GET /api/v1/models."));
        if (write ? !caller.CanWrite(model) : !caller.CanRead(model))
            return (caller, null, Problems.Forbidden(write
                ? $"Model '{modelId}' belongs to team '{model.TeamId ?? "(none)"}'; only that team's keys and members, or an admin, may write to it."
                : $"Model '{modelId}' belongs to team '{model.TeamId ?? "(none)"}', which you are not a member of."));
        return (caller, model, null);
    }
}
