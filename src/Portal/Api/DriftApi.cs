using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using ModelWatch.Engine.Ingestion;
using ModelWatch.Engine.Statistics.Drift;
using ModelWatch.Portal.Api;

namespace ModelWatch.Portal.Api;

/// <summary>Ad-hoc drift between two samples, with the same statistics the monitors use (any valid API key).</summary>
public static class DriftApi
{
    public const int MaxValuesPerSide = 1_000_000;
    public const long MaxBodyBytes = 64L * 1024 * 1024;

    public static RouteGroupBuilder MapDriftApi(this RouteGroupBuilder api)
    {
        api.MapPost("/drift/compare", Compare).WithName("CompareDrift").JsonBody<DriftCompareShape>()
            .Produces<NumericalCompareResponse>(StatusCodes.Status200OK)
            .AddOpenApiOperationTransformer(async (operation, context, ct) =>
            {
                // One 200 with either shape, by "kind": OpenAPI says so with oneOf, which Produces cannot express.
                var numerical = await context.GetOrCreateSchemaAsync(typeof(NumericalCompareResponse), null, ct);
                var categorical = await context.GetOrCreateSchemaAsync(typeof(CategoricalCompareResponse), null, ct);
                if (operation.Responses?.TryGetValue("200", out var ok) == true && ok.Content?.TryGetValue("application/json", out var json) == true)
                    json.Schema = new Microsoft.OpenApi.OpenApiSchema { OneOf = [numerical, categorical] };
            })
            .WithSummary("KS, Wasserstein, PSI and Jensen–Shannon (numerical) or chi-square, PSI and Jensen–Shannon (categorical) between a reference and a current sample.");
        return api;
    }

    public sealed record KsResponse(double Statistic, double PValue);
    public sealed record ChiSquareResponse(double Statistic, double PValue, int DegreesOfFreedom);

    public sealed record NumericalCompareResponse(
        string Method, bool Drifted, double? Value, double Threshold, KsResponse? Ks, double? Wasserstein, double? WassersteinNormalized,
        double? Psi, string? PsiBand, double? JensenShannon, long ReferenceSize, long CurrentSize, long ReferenceNaN, long CurrentNaN, string? Reason);

    public sealed record CategoricalCompareResponse(
        string Method, bool Drifted, double? Value, double Threshold, ChiSquareResponse? ChiSquare, double? Psi, string? PsiBand,
        double? JensenShannon, long ReferenceSize, long CurrentSize, string? Reason);

    private static async Task<IResult> Compare(HttpRequest request, CancellationToken ct)
    {
        var (body, problem) = await RequestBody.ReadAsync(request, MaxBodyBytes, ct);
        if (body is null) return problem!;
        using (body)
        {
            using var document = JsonBody.TryParse(body.Memory, out var jsonError);
            if (document is null) return Problems.BadRequest(jsonError!);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return Problems.BadRequest(Shape);
            var kind = root.TryGetProperty("kind", out var k) && k.ValueKind == JsonValueKind.String ? k.GetString() : null;
            if (kind is not ("numerical" or "categorical"))
                return Problems.BadRequest("'kind' must be \"numerical\" or \"categorical\".", [new("kind", "required: numerical or categorical")]);
            var errors = new List<Engine.FieldError>();
            if (!root.TryGetProperty("reference", out var reference) || reference.ValueKind != JsonValueKind.Array) errors.Add(new("reference", "required: an array of values"));
            if (!root.TryGetProperty("current", out var current) || current.ValueKind != JsonValueKind.Array) errors.Add(new("current", "required: an array of values"));
            if (errors.Count > 0) return Problems.BadRequest(Shape, errors);
            foreach (var (name, side) in new[] { ("reference", reference), ("current", current) })
            {
                if (side.GetArrayLength() > MaxValuesPerSide) errors.Add(new(name, $"has {side.GetArrayLength():N0} values; at most {MaxValuesPerSide:N0} per side are accepted"));
            }
            if (errors.Count > 0) return Problems.BadRequest("A sample is too large.", errors);

            return kind == "numerical" ? Numerical(reference, current) : Categorical(reference, current);
        }
    }

    private const string Shape = "The body must be { \"kind\": \"numerical\" | \"categorical\", \"reference\": [ ... ], \"current\": [ ... ] }.";

    private static IResult Numerical(JsonElement referenceJson, JsonElement currentJson)
    {
        var errors = new List<Engine.FieldError>();
        var reference = Numbers(referenceJson, "reference", errors);
        var current = Numbers(currentJson, "current", errors);
        if (errors.Count > 0) return Problems.BadRequest($"{errors.Count} value(s) are not numbers (use null or \"NaN\" for a missing value).", errors.Take(1000).ToList());
        var r = NumericalDrift.Compare(reference, current);
        return TypedResults.Ok(new NumericalCompareResponse(
            Engine.Windows.DriftNames.Of(r.Method), r.Drifted, r.Value, r.Threshold, r.Ks is { } ks ? new KsResponse(ks.Statistic, ks.PValue) : null,
            r.Wasserstein, r.WassersteinNormalized, r.Psi, r.PsiBand?.ToString().ToLowerInvariant(), r.JensenShannon,
            r.ReferenceSize, r.CurrentSize, r.ReferenceNaNCount, r.CurrentNaNCount, r.Reason));
    }

    private static IResult Categorical(JsonElement referenceJson, JsonElement currentJson)
    {
        var errors = new List<Engine.FieldError>();
        var reference = Strings(referenceJson, "reference", errors);
        var current = Strings(currentJson, "current", errors);
        if (errors.Count > 0) return Problems.BadRequest($"{errors.Count} value(s) are not strings (categories are compared as strings; null counts as missing).", errors.Take(1000).ToList());
        var r = CategoricalDrift.Compare(reference, current);
        return TypedResults.Ok(new CategoricalCompareResponse(
            Engine.Windows.DriftNames.Of(r.Method), r.Drifted, r.Value, r.Threshold,
            r.ChiSquare is { } chi ? new ChiSquareResponse(chi.Statistic, chi.PValue, chi.DegreesOfFreedom) : null,
            r.Psi, r.PsiBand?.ToString().ToLowerInvariant(), r.JensenShannon, r.ReferenceSize, r.CurrentSize, r.Reason));
    }

    private static double[] Numbers(JsonElement array, string side, List<Engine.FieldError> errors)
    {
        var values = new double[array.GetArrayLength()];
        var i = 0;
        foreach (var v in array.EnumerateArray())
        {
            values[i] = v.ValueKind switch
            {
                JsonValueKind.Number => v.GetDouble(),
                JsonValueKind.Null => double.NaN,
                JsonValueKind.String when v.GetString() is "NaN" or "Infinity" or "-Infinity" => double.NaN,
                _ => Bad(errors, side, i, v),
            };
            i++;
        }
        return values;
    }

    private static List<string?> Strings(JsonElement array, string side, List<Engine.FieldError> errors)
    {
        var values = new List<string?>(array.GetArrayLength());
        var i = 0;
        foreach (var v in array.EnumerateArray())
        {
            if (v.ValueKind == JsonValueKind.String) values.Add(v.GetString());
            else if (v.ValueKind == JsonValueKind.Null) values.Add(null);
            else errors.Add(new(side, $"must be a string (got {TaskValues.Show(v)})", i));
            i++;
        }
        return values;
    }

    private static double Bad(List<Engine.FieldError> errors, string side, int index, JsonElement value)
    {
        errors.Add(new(side, $"must be a number (got {TaskValues.Show(value)})", index));
        return double.NaN;
    }

}
