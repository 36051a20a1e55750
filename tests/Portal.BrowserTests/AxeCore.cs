using System.Diagnostics;
using System.Text.Json;
using Microsoft.Playwright;

namespace ModelWatch.Portal.BrowserTests;

/// <summary>One axe-core finding: the rule, how bad, the elements it names and what to do.</summary>
public sealed record AxeViolation(string Rule, string Impact, string Help, IReadOnlyList<string> Targets)
{
    public override string ToString() => $"{Impact} {Rule}: {Help} at {string.Join(" | ", Targets)}";
}

/// <summary>
/// axe-core from npm (installed once into a cache folder, as the SignalR client test does), evaluated in the page
/// through the DevTools protocol: the portal's CSP refuses inline script tags, and must keep refusing them.
/// </summary>
public static class AxeCore
{
    public const string Version = "4.14.1";
    private static readonly SemaphoreSlim InstallLock = new(1, 1);
    private static string? _source;

    public static async Task<string> SourceAsync()
    {
        await InstallLock.WaitAsync();
        try
        {
            if (_source is not null) return _source;
            var folder = Path.Combine(Path.GetTempPath(), $"modelwatch-axe-core-{Version}");
            var script = Path.Combine(folder, "node_modules", "axe-core", "axe.min.js");
            if (!File.Exists(script))
            {
                Directory.CreateDirectory(folder);
                var start = new ProcessStartInfo("npm") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
                foreach (var a in new[] { "install", "--no-audit", "--no-fund", "--silent", $"axe-core@{Version}" }) start.ArgumentList.Add(a);
                using var npm = Process.Start(start) ?? throw new InvalidOperationException("npm could not start; test.sh installs node and npm.");
                var stdout = npm.StandardOutput.ReadToEndAsync();
                var stderr = npm.StandardError.ReadToEndAsync();
                using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
                await npm.WaitForExitAsync(timeout.Token);
                if (npm.ExitCode != 0 || !File.Exists(script))
                    throw new InvalidOperationException($"npm install axe-core@{Version} failed ({npm.ExitCode}):\n{await stdout}\n{await stderr}");
            }
            return _source = await File.ReadAllTextAsync(script);
        }
        finally { InstallLock.Release(); }
    }

    /// <summary>Runs every axe rule on the page as it is now and returns the critical and serious findings.</summary>
    public static async Task<IReadOnlyList<AxeViolation>> SeriousViolationsAsync(IPage page)
    {
        if (!await page.EvaluateAsync<bool>("() => typeof window.axe !== 'undefined'"))
            await page.EvaluateAsync(await SourceAsync());
        var json = await page.EvaluateAsync<string>("""
            async () => {
                const result = await axe.run(document, { resultTypes: ['violations'] });
                return JSON.stringify(result.violations
                    .filter(v => v.impact === 'critical' || v.impact === 'serious')
                    .map(v => ({ rule: v.id, impact: v.impact, help: v.help, targets: v.nodes.map(n => n.target.join(' ') + ' — ' + (n.failureSummary ?? '').replace(/\s+/g, ' ')) })));
            }
            """);
        using var document = JsonDocument.Parse(json);
        return document.RootElement.EnumerateArray()
            .Select(v => new AxeViolation(
                v.GetProperty("rule").GetString()!, v.GetProperty("impact").GetString()!, v.GetProperty("help").GetString()!,
                v.GetProperty("targets").EnumerateArray().Select(t => t.GetString()!).ToList()))
            .ToList();
    }
}
