using Microsoft.AspNetCore.Diagnostics;

namespace ModelWatch.Portal.Api;

/// <summary>
/// Statuses that leave the pipeline without a body (no route, wrong method) get an RFC 7807 problem document that
/// says what to do, in JSON whatever the Accept header asks for; browsers navigating to a page get the HTML 404 page.
/// </summary>
public static class StatusCodeProblems
{
    public static IApplicationBuilder UseStatusCodeProblems(this IApplicationBuilder app) => app.UseStatusCodePages(WriteAsync);

    private static Task WriteAsync(StatusCodeContext status)
    {
        var http = status.HttpContext;
        var request = http.Request;
        var code = http.Response.StatusCode;
        var (title, detail) = code switch
        {
            StatusCodes.Status404NotFound => ("Not found",
                $"Nothing answers {request.Method} {request.Path}. Check the address; the HTTP API lives under /api/v1 and is described at /openapi/v1.json."),
            StatusCodes.Status405MethodNotAllowed => ("Method not allowed",
                $"{request.Path} does not accept {request.Method}. /openapi/v1.json lists the methods each path takes."),
            _ => (ReasonPhrase(code), $"The request to {request.Method} {request.Path} ended with status {code}."),
        };
        return Problems.Write(http, code, title, detail);
    }

    private static string ReasonPhrase(int code) => Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(code) is { Length: > 0 } phrase ? phrase : "Error";
}
