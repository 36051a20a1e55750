using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using ModelWatch.Portal.Tests.TestSupport;

namespace ModelWatch.Portal.Tests.Monitoring;

/// <summary>
/// The official JavaScript client (@microsoft/signalr from npm, run by node) connects exactly as docs/api.md shows:
/// the snippet is read from the document, so the docs and the test cannot drift apart.
/// </summary>
public sealed class SignalRJavaScriptClientTests
{
    private const string ClientVersion = "10.0.0";

    [Fact]
    public async Task The_documented_javascript_client_with_accessTokenFactory_receives_summaries()
    {
        var folder = await NpmClientFolderAsync();
        await using var portal = PortalFactory.With();
        portal.UseKestrel(0);
        portal.StartServer();
        var baseUrl = portal.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().Replace("[::]", "127.0.0.1").TrimEnd('/');
        portal.ClientOptions.BaseAddress = new Uri(baseUrl);
        var scenario = await Scenario.CreateAsync(portal);
        using var api = portal.WithKey(scenario.Key);
        var now = DateTimeOffset.UtcNow.ToString("O");
        await PortalApi.Expect(HttpStatusCode.Accepted, await api.PostAsync(scenario.Predictions, PortalApi.Batch(PortalApi.Prediction("js-1", timestamp: now))));

        var snippet = DocumentedSnippet().Replace("http://localhost:5000", baseUrl).Replace("\"fraud-detector\"", $"\"{scenario.Model}\"");
        var script = Path.Combine(folder, $"client-{Guid.NewGuid():N}.mjs");
        await File.WriteAllTextAsync(script, $$"""
            const apiKey = process.env.MODELWATCH_KEY;
            setTimeout(() => { console.error("no summary within 20 s"); process.exit(2); }, 20000);
            {{snippet}}
            connection.on("summary", () => connection.stop().then(() => process.exit(0)));
            """);
        try
        {
            var (exit, stdout, stderr) = await RunAsync("node", [script], folder, ("MODELWATCH_KEY", scenario.Key), TimeSpan.FromSeconds(40));

            Assert.True(exit == 0, $"node exited with {exit}:\n{stdout}\n{stderr}");
            Assert.Contains(scenario.Model, stdout); // the documented handler logs s.modelId
        }
        finally
        {
            File.Delete(script);
        }
    }

    private static string DocumentedSnippet()
    {
        var docs = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "api.md"));
        var match = Regex.Match(docs, @"JavaScript \(`@microsoft/signalr`\):\s*```js\n(?<code>.*?)```", RegexOptions.Singleline);
        Assert.True(match.Success, "docs/api.md no longer has the JavaScript client example");
        return match.Groups["code"].Value;
    }

    internal static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Portal.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Portal.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>npm installs the client once into a cache folder shared by test runs.</summary>
    private static async Task<string> NpmClientFolderAsync()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"modelwatch-signalr-js-{ClientVersion}");
        if (File.Exists(Path.Combine(folder, "node_modules", "@microsoft", "signalr", "package.json"))) return folder;
        Directory.CreateDirectory(folder);
        var (exit, stdout, stderr) = await RunAsync("npm", ["install", "--no-audit", "--no-fund", "--silent", $"@microsoft/signalr@{ClientVersion}"], folder, null, TimeSpan.FromMinutes(3));
        Assert.True(exit == 0, $"npm install failed ({exit}); test.sh installs node and npm:\n{stdout}\n{stderr}");
        return folder;
    }

    private static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(string file, string[] args, string folder, (string Name, string Value)? env, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(file) { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        if (env is { } e) start.Environment[e.Name] = e.Value;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try { await process.WaitForExitAsync(cts.Token); }
        catch (OperationCanceledException) { process.Kill(entireProcessTree: true); throw new TimeoutException($"{file} did not finish within {timeout.TotalSeconds:0} s:\n{await stdout}\n{await stderr}"); }
        return (process.ExitCode, await stdout, await stderr);
    }
}
