using Microsoft.Extensions.Logging.Abstractions;
using ModelWatch.Engine.Access;
using ModelWatch.Engine.Alerting;
using ModelWatch.Engine.Audit;
using ModelWatch.Engine.Demo;
using ModelWatch.Engine.Registry;
using ModelWatch.Engine.Tests.Windows;
using Xunit.Abstractions;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace ModelWatch.Engine.Tests.Demo;

/// <summary>
/// The demo's rules against the demo's own traffic: the real simulator, ingestion, summaries and evaluator on a fake
/// clock through a whole episode cycle and the start of the next. Each rule fires during its episode, stays quiet
/// outside it, resolves after it, and its notification reaches the built-in receiver.
/// </summary>
public sealed class DemoAlertRulesTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task Each_demo_rule_fires_during_its_episode_only_and_resolves_after_it()
    {
        await using var h = await WindowHarness.StartAsync();
        var options = new DemoOptions();
        var audit = new AuditLog(h.Database.Connections, h.Clock);
        await new DemoSeeder(h.Registry, new UserStore(h.Database.Connections, h.Clock), h.Ingestion, h.Clock, NullLogger<DemoSeeder>.Instance).SeedAsync(options, CancellationToken.None);
        var alerting = MsOptions.Create(new AlertingOptions());
        var ownership = new OwnershipStore(h.Database.Connections, h.Registry, audit, h.Clock);
        var rules = new AlertRuleStore(h.Database.Connections);
        var alerts = new AlertStore(h.Database.Connections);
        var evaluator = new AlertEvaluator(rules, alerts, h.Registry, ownership, h.Summaries, h.Database.Connections, h.Clock, alerting, NullLogger<AlertEvaluator>.Instance);
        var commands = new AlertRuleCommands(rules, alerts, evaluator, h.Registry, audit, h.Clock);
        var deliveries = new DeliveryStore(h.Database.Connections);
        var dispatcher = new AlertDispatcher(alerts, deliveries, new NotificationSettingsStore(h.Database.Connections, audit, h.Clock),
            new SilenceStore(h.Database.Connections, h.Registry, audit, h.Clock), ownership, audit, new PortalLinks(), h.Clock, alerting);

        var demoRules = new DemoAlertRules(commands, rules, NullLogger<DemoAlertRules>.Instance);
        Assert.Equal(DemoAlertRules.Specs.Count, demoRules.Ensure());
        Assert.Equal(0, demoRules.Ensure()); // a restart adds nothing

        var simulator = DemoSimulator.Create(options, h.Registry, h.Ingestion, h.Clock, NullLogger<DemoSimulator>.Instance);
        var firingAt = new Dictionary<string, List<TimeSpan>>();
        var cycle = options.EpisodeCycle;
        var end = simulator.Start + cycle + TimeSpan.FromMinutes(6);
        var nextEvaluation = simulator.Start + evaluator.Interval;
        while (h.Clock.GetUtcNow() < end)
        {
            h.Clock.Advance(Step);
            var now = h.Clock.GetUtcNow();
            await simulator.StepAsync(now, CancellationToken.None);
            if (now < nextEvaluation) continue;
            nextEvaluation = now + evaluator.Interval;
            evaluator.Evaluate();
            dispatcher.Dispatch();
            var phase = now - simulator.Start;
            foreach (var a in alerts.List(new AlertFilter(AlertRecord.Firing)))
                (firingAt.TryGetValue(a.RuleName, out var list) ? list : firingAt[a.RuleName] = []).Add(phase);
            if (phase.Seconds < 15)
                foreach (var r in rules.All())
                    output.WriteLine($"{phase:mm\\:ss} {r.Rule.Name}: {string.Join(", ", evaluator.SeriesOf(r.Rule.Id).Select(s => $"{s.State.ToName()} {s.Value:G4} {s.Error}"))}");
        }

        foreach (var spec in DemoAlertRules.Specs)
        {
            var episode = DemoCatalog.Episodes.Single(e => e.ModelId == spec.Model);
            var (start, stop) = (episode.StartIn(cycle), episode.StartIn(cycle) + episode.LengthIn(cycle));
            Assert.True(firingAt.TryGetValue(spec.Name!, out var times), $"'{spec.Name}' never fired; its episode runs {start}–{stop} of each cycle");
            output.WriteLine($"{spec.Name}: firing at {string.Join(" ", times!.Select(t => t.ToString("mm\\:ss")))}; episode {start:mm\\:ss}–{stop:mm\\:ss}");
            // Fires within the episode; the 5-minute window and keepFiringFor carry it a few minutes past the end, never into the quiet part of a cycle.
            Assert.InRange(times.Min(), start, stop);
            Assert.All(times, t => Assert.InRange(TimeSpan.FromTicks(((t - start).Ticks % cycle.Ticks + cycle.Ticks) % cycle.Ticks), TimeSpan.Zero, stop - start + TimeSpan.FromMinutes(6)));
            Assert.Contains(times, t => t > stop); // still firing after the episode: the window holds it for a while
        }
        var resolved = alerts.List(new AlertFilter(AlertRecord.Resolved));
        Assert.All(DemoAlertRules.Specs, s => Assert.Contains(resolved, a => a.RuleName == s.Name));
        var builtin = deliveries.Recent(Receiver.Builtin, null, 100).Select(d => d.Delivery).ToList();
        Assert.All(DemoAlertRules.Specs, s => Assert.Contains(builtin, d => d.Payload.Contains(s.Name!, StringComparison.Ordinal) && d.Payload.Contains("\"firing\"", StringComparison.Ordinal)));
    }
}
