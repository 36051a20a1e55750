namespace ModelWatch.Portal.HealthChecks;

/// <summary>
/// `dotnet ModelWatch.Portal.dll --health-check`: the container's HEALTHCHECK. The runtime image has no curl or wget,
/// so the portal binary itself asks the running portal's /healthz/ready and exits 0 (healthy) or 1.
/// </summary>
public static class ContainerHealthCheck
{
    public const string Argument = "--health-check";

    public static async Task<int> RunAsync()
    {
        var url = $"http://127.0.0.1:{Port(Environment.GetEnvironmentVariable("ASPNETCORE_HTTP_PORTS"))}/healthz/ready";
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            using var response = await http.GetAsync(url);
            if (response.IsSuccessStatusCode) return 0;
            await Console.Error.WriteLineAsync($"{url} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            await Console.Error.WriteLineAsync($"{url} did not answer: {e.Message}");
        }
        return 1;
    }

    /// <summary>The first of ASPNETCORE_HTTP_PORTS ("8080" or "8080;8081"), 8080 when unset as in the image.</summary>
    private static int Port(string? ports) =>
        int.TryParse(ports?.Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault(), out var port) ? port : 8080;
}
