using System.Diagnostics;
using Microsoft.Playwright;
using ModelWatch.LoadGenerator;

namespace ModelWatch.LiveBench;

/// <summary>Server memory before and after K signed-in browser pages, each a Blazor circuit on a model page.</summary>
public sealed record CircuitResult(
    int Circuits, double ManagedBeforeMb, double ManagedAfterMb, double RssBeforeMb, double RssAfterMb, double AnonBeforeMb, double AnonAfterMb,
    double ManagedPerCircuitKb, double RssPerCircuitKb, double AnonPerCircuitKb, double OpenSeconds, string Load,
    IReadOnlyList<TypeGrowth> Holders, double? ReachablePerCircuitKb);

/// <summary>How much one type grew per circuit between the heap walks.</summary>
public sealed record TypeGrowth(string Type, double CountPerCircuit, double KbPerCircuit);

public sealed class CircuitRun(PortalProcess portal, LiveOptions options)
{
    public const string ModelPath = "/models/fraud-detector";

    /// <summary>The measurements so far, also when a later one fails.</summary>
    public List<CircuitResult> Results { get; } = [];

    private sealed record Sample(double ManagedMb, double RssMb, double AnonMb);

    public async Task<List<CircuitResult>> RunAsync(CancellationToken cancellationToken)
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = options.Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });

        // Warm-up: the first circuits pay for JIT, component metadata and caches that every later one shares.
        Console.WriteLine("Warming up with 2 pages …");
        await CloseAsync(await OpenAsync(browser, 2, cancellationToken));
        await Task.Delay(TimeSpan.FromSeconds(3), cancellationToken);

        var results = Results;
        foreach (var k in options.CircuitCounts)
        {
            if (cancellationToken.IsCancellationRequested) break;
            var before = await SampleAsync(cancellationToken);
            var typesBefore = options.Types ? TryHistogram() : null;
            Console.WriteLine($"Opening {k} pages (sign in as dana, then {ModelPath}) …");
            var clock = Stopwatch.StartNew();
            var pages = await OpenAsync(browser, k, cancellationToken);
            var openSeconds = clock.Elapsed.TotalSeconds;
            await Task.Delay(TimeSpan.FromSeconds(5), cancellationToken); // a few live updates into every circuit
            var after = await SampleAsync(cancellationToken);
            var typesAfter = options.Types ? TryHistogram() : null;
            if (options.RetainersOf is { } retained)
                Console.WriteLine($"What keeps {retained} alive:\n{ServerHeap.RetainersInChildProcess(portal.Pid, retained, TimeSpan.FromSeconds(180)) ?? "  (the walk failed)"}");
            var load = Machine.LoadAverage();
            await CloseAsync(pages);
            await Task.Delay(TimeSpan.FromSeconds(3), cancellationToken);

            var holders = typesBefore is null || typesAfter is null ? [] : Growth(typesBefore, typesAfter, k);
            results.Add(new CircuitResult(k, before.ManagedMb, after.ManagedMb, before.RssMb, after.RssMb, before.AnonMb, after.AnonMb,
                (after.ManagedMb - before.ManagedMb) * 1024 / k, (after.RssMb - before.RssMb) * 1024 / k, (after.AnonMb - before.AnonMb) * 1024 / k,
                openSeconds, load, holders, ReachableGrowth(typesBefore, typesAfter, k)));
            var r = results[^1];
            Console.WriteLine($"  {k} circuits: reachable objects +{r.ReachablePerCircuitKb:N0} KB, managed heap +{r.ManagedPerCircuitKb:N0} KB, RSS +{r.RssPerCircuitKb:N0} KB, anonymous +{r.AnonPerCircuitKb:N0} KB per circuit (load {load})");
            foreach (var h in holders.Take(15)) Console.WriteLine($"    {h.KbPerCircuit,8:0.0} KB {h.CountPerCircuit,8:0.#} objects  {h.Type}");
        }
        return results;
    }

    private async Task<List<IBrowserContext>> OpenAsync(IBrowser browser, int count, CancellationToken cancellationToken)
    {
        var contexts = new IBrowserContext[count];
        using var gate = new SemaphoreSlim(2);
        await Task.WhenAll(Enumerable.Range(0, count).Select(async i =>
        {
            await gate.WaitAsync(cancellationToken);
            try { contexts[i] = await OpenOneAsync(browser); }
            finally { gate.Release(); }
        }));
        return [.. contexts];
    }

    /// <summary>One user, one browser context, one circuit: sign in through the form and land on the model page with live updates flowing.</summary>
    private async Task<IBrowserContext> OpenOneAsync(IBrowser browser)
    {
        var context = await browser.NewContextAsync(new() { BaseURL = portal.Url.ToString(), ViewportSize = new() { Width = 1280, Height = 900 } });
        context.SetDefaultTimeout(120_000);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/signin?returnUrl=" + Uri.EscapeDataString(ModelPath));
        await page.FillAsync("input[name=username]", "dana");
        await page.FillAsync("input[name=password]", "demo-pass-2026");
        await page.ClickAsync("[data-testid=signin-submit]");
        await page.WaitForURLAsync("**" + ModelPath + "**");
        // "live-on" is set by the circuit when the first live update arrives: the circuit is up and subscribed.
        // Attached, not visible: a visibility check needs the busy renderer to lay out the page, which is not what is measured.
        await page.WaitForSelectorAsync("[data-testid=live-status].live-on", new() { State = WaitForSelectorState.Attached });
        return context;
    }

    private static async Task CloseAsync(List<IBrowserContext> contexts)
    {
        foreach (var context in contexts)
        {
            // beforeunload/unload let Blazor tell the server the circuit is gone, instead of keeping it for reconnection.
            foreach (var page in context.Pages.ToList()) await page.CloseAsync(new() { RunBeforeUnload = true });
            await context.CloseAsync();
        }
    }

    /// <summary>Three rounds of a forced full GC then /proc, averaged: the heap after a GC is what is really held.</summary>
    private async Task<Sample> SampleAsync(CancellationToken cancellationToken)
    {
        var samples = new List<Sample>();
        for (var i = 0; i < 3; i++)
        {
            var heap = await ServerHeap.CollectAsync(portal.Pid, TimeSpan.FromSeconds(15));
            await Task.Delay(500, cancellationToken);
            var (rss, anonymous) = Machine.Memory(portal.Pid);
            samples.Add(new Sample(heap is { } h ? h / 1048576.0 : double.NaN, rss / 1048576.0, anonymous / 1048576.0));
        }
        return new Sample(samples.Average(s => s.ManagedMb), samples.Average(s => s.RssMb), samples.Average(s => s.AnonMb));
    }

    private Dictionary<string, (long Count, long Bytes)>? TryHistogram()
    {
        var histogram = ServerHeap.HistogramInChildProcess(portal.Pid, TimeSpan.FromSeconds(300));
        if (histogram is null) Console.Error.WriteLine("  The heap walk failed; figures without the per-type breakdown.");
        return histogram;
    }

    /// <summary>What the circuits really hold: bytes reachable from GC roots after, minus before, per circuit.</summary>
    private static double? ReachableGrowth(Dictionary<string, (long Count, long Bytes)>? before, Dictionary<string, (long Count, long Bytes)>? after, int circuits) =>
        before is null || after is null ? null : (after.Values.Sum(v => v.Bytes) - before.Values.Sum(v => v.Bytes)) / 1024.0 / circuits;

    private static List<TypeGrowth> Growth(Dictionary<string, (long Count, long Bytes)> before, Dictionary<string, (long Count, long Bytes)> after, int circuits) =>
        after.Select(a =>
            {
                before.TryGetValue(a.Key, out var b);
                return new TypeGrowth(a.Key, (a.Value.Count - b.Count) / (double)circuits, (a.Value.Bytes - b.Bytes) / 1024.0 / circuits);
            })
            .OrderByDescending(g => g.KbPerCircuit).Take(2000).ToList();
}
