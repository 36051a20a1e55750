using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace ModelWatch.Portal.Api;

/// <summary>
/// The OpenAPI document at /openapi/v1.json: the API-key security schemes, and the problem responses every /api/v1
/// operation can give (401 without a key, 404 for a model the caller may not see, 403 for a refused write). What is
/// particular to one route (its body, its success code, 413/415/429/503) is declared where the route is mapped.
/// </summary>
public static class PortalOpenApi
{
    public const string ApiKeyScheme = "ApiKey";
    public const string BearerScheme = "Bearer";

    public static IServiceCollection AddPortalOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                AddSecuritySchemes(document);
                return Task.CompletedTask;
            });
            options.AddOperationTransformer(AddCommonProblems);
            // The ingestion shapes are named after what they are on the wire ("PredictionBatch"), not after our types.
            options.CreateSchemaReferenceId = type => type.Type.Name.EndsWith("Shape", StringComparison.Ordinal)
                ? type.Type.Name[..^"Shape".Length]
                : OpenApiOptions.CreateDefaultSchemaReferenceId(type);
        });

    /// <summary>
    /// A body read as JSON by the handler itself: declared with its shape and the answers a bad body gets. Only the
    /// document learns of it: <c>Accepts</c> metadata would let routing answer 415 before authentication and before
    /// the handler's own problem response.
    /// </summary>
    public static RouteHandlerBuilder JsonBody<T>(this RouteHandlerBuilder route) where T : notnull =>
        route.DescribeBody(typeof(T), required: true)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

    /// <summary>Like <see cref="JsonBody{T}"/>, for a body that may be left out (an optional reason).</summary>
    public static RouteHandlerBuilder OptionalJsonBody<T>(this RouteHandlerBuilder route) where T : notnull =>
        route.DescribeBody(typeof(T), required: false)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

    private static RouteHandlerBuilder DescribeBody(this RouteHandlerBuilder route, Type shape, bool required) =>
        route.AddOpenApiOperationTransformer(async (operation, context, ct) =>
        {
            var schema = await context.GetOrCreateSchemaAsync(shape, null, ct);
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = required,
                Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = schema } },
            };
        });

    private static void AddSecuritySchemes(OpenApiDocument document)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[ApiKeyScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = Auth.PortalClaims.ApiKeyHeader,
            Description = "A team or admin API key (POST /api/v1/teams/{id}/keys). Browsers signed in with a cookie need no key.",
        };
        document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "The same API key as 'Authorization: Bearer <key>', as the SignalR JavaScript client sends it.",
        };
        // Either scheme satisfies a request: two alternatives, not one requirement with both.
        document.Security =
        [
            new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiKeyScheme, document)] = [] },
            new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, document)] = [] },
        ];
    }

    private static async Task AddCommonProblems(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        var path = "/" + (context.Description.RelativePath ?? "");
        if (!path.StartsWith("/api/v1/", StringComparison.Ordinal)) return;
        var method = context.Description.HttpMethod ?? "GET";
        var schema = await context.GetOrCreateSchemaAsync(typeof(ProblemDetails), null, ct);
        operation.Responses ??= new OpenApiResponses();
        void Add(int status, string description)
        {
            var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (operation.Responses.TryGetValue(key, out var existing) && existing is OpenApiResponse declared)
            {
                if (string.IsNullOrEmpty(declared.Description) || declared.Description == "Bad Request") declared.Description = description;
                return;
            }
            operation.Responses[key] = new OpenApiResponse
            {
                Description = description,
                Content = new Dictionary<string, OpenApiMediaType> { ["application/problem+json"] = new() { Schema = schema } },
            };
        }
        Add(StatusCodes.Status401Unauthorized, "No valid API key or session: send X-Api-Key or 'Authorization: Bearer <key>'.");
        if (System.Text.RegularExpressions.Regex.IsMatch(path, @"\{id(:[^}]*)?\}")) Add(StatusCodes.Status404NotFound, "No such model, or one the caller may not see.");
        if (method != "GET") Add(StatusCodes.Status403Forbidden, "The caller may read this but not change it (auditors, other roles).");
        if (operation.RequestBody is not null) Add(StatusCodes.Status400BadRequest, "The body is invalid; 'errors' names each field.");
    }
}
