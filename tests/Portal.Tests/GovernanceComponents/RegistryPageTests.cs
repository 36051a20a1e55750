using Bunit;
using Microsoft.AspNetCore.Components;
using ModelWatch.Engine.Audit;
using ModelWatch.Engine.Registry;
using ModelWatch.Engine.Windows;
using ModelWatch.Portal.Components.Pages.Governance;
using ModelWatch.Portal.Tests.Components;

namespace ModelWatch.Portal.Tests.GovernanceComponents;

public class RegistryPageTests : GovernanceTestContext
{
    [Fact]
    public void The_registry_lists_visible_models_with_aliases_and_pending_requests()
    {
        var fraud = Registry.FindModel("fraud-detector")!;
        Assert.True(Aliases.SetDirectly(fraud, "staging", new AliasChangeRequest("1.1.0", "try it"), As("dana").Caller).IsOk);
        Assert.True(Aliases.Request(fraud, "production", new AliasChangeRequest("1.1.0", "better auc"), As("dana").Caller).IsOk);

        var cut = Render<Registry>(p => p.AddCascadingValue(Viewing("dana")));

        var row = cut.Find("[data-testid=registry-fraud-detector]").ParentElement!;
        Assert.Contains("v1.1.0", row.QuerySelector("[data-testid=alias-staging]")!.TextContent);
        Assert.Contains("unset", row.QuerySelector("[data-testid=alias-production]")!.TextContent);
        Assert.Contains("1 pending", row.TextContent);
        Assert.Contains("better auc", cut.Find("[data-testid=pending-table]").TextContent);
        Assert.Empty(cut.FindAll("[data-testid=registry-demand-forecast]"));
    }

    [Fact]
    public void A_user_who_sees_no_models_gets_the_empty_state()
    {
        var cut = Render<Registry>(p => p.AddCascadingValue(Viewing("eve")));

        Assert.NotNull(cut.Find("[data-testid=registry-empty]"));
    }
}

public class VersionsPageTests : GovernanceTestContext
{
    private IRenderedComponent<ModelVersions> Open(string user, string model = "fraud-detector", bool signedIn = false)
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo($"models/{model}/versions");
        return Render<ModelVersions>(p =>
        {
            p.Add(x => x.ModelId, model).AddCascadingValue(Viewing(user));
            if (signedIn) p.AddCascadingValue(SignedIn(user));
        });
    }

    [Fact]
    public void Versions_show_their_metadata_newest_first()
    {
        var cut = Open("alice");

        var rows = cut.FindAll("[data-testid=versions-table] tbody tr");
        Assert.Contains("v1.1.0", rows[0].TextContent);
        Assert.Contains("trees=200", rows[0].TextContent);
        Assert.Contains("auc=0.93", rows[0].TextContent);
        Assert.Contains("s3://data/fraud-detector", rows[0].TextContent);
        Assert.Contains("by dana", rows[0].TextContent);
    }

    [Fact]
    public void The_two_newest_versions_are_compared_with_live_numbers_for_each_version_over_a_day()
    {
        Summaries.ByModel["fraud-detector"] = SampleData.Summary();

        var cut = Open("dana");

        Assert.Equal("changed", cut.Find("[data-testid=hp-depth]").GetAttribute("data-kind"));
        Assert.Equal("added", cut.Find("[data-testid=hp-trees]").GetAttribute("data-kind"));
        Assert.Equal("same", cut.Find("[data-testid=hp-learningRate]").GetAttribute("data-kind"));
        Assert.Contains("0.93", cut.Find("[data-testid=compare-offline-auc]").TextContent);
        Assert.Contains("12,345", cut.Find("[data-testid=compare-live]").TextContent);
        Assert.Contains(("fraud-detector", SummaryWindow.OneDay, "1.0.0"), Summaries.Reads);
        Assert.Contains(("fraud-detector", SummaryWindow.OneDay, "1.1.0"), Summaries.Reads);
    }

    [Fact]
    public void The_auditor_is_not_told_to_request_a_change_below_where_she_has_no_form()
    {
        var alice = Open("alice");
        var dana = Open("dana", "churn-predictor", signedIn: true);

        Assert.Empty(alice.FindAll("[data-testid=request-form]"));
        Assert.DoesNotContain("below", alice.Find("[data-testid=pending-empty]").TextContent);
        Assert.Contains("Request a change below", dana.Find("[data-testid=pending-empty]").TextContent);
    }

    [Fact]
    public void The_compared_pair_comes_from_the_url()
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo("models/fraud-detector/versions?left=1.1.0&right=1.0.0");
        var cut = Render<ModelVersions>(p => p.Add(x => x.ModelId, "fraud-detector").AddCascadingValue(Viewing("admin")));

        Assert.Equal("removed", cut.Find("[data-testid=hp-trees]").GetAttribute("data-kind"));
    }

    [Fact]
    public void Live_numbers_that_fail_to_load_are_reported_and_the_rest_of_the_comparison_stays()
    {
        Summaries.Failure = new InvalidOperationException("buckets are rebuilding");

        var cut = Open("admin");

        Assert.Contains("buckets are rebuilding", cut.Find("[data-testid=compare-live-problem]").TextContent);
        Assert.NotNull(cut.Find("[data-testid=compare-hyperparameters]"));
    }

    [Fact]
    public void The_requester_is_not_offered_approve_on_her_own_production_request_only_withdraw()
    {
        var cut = Open("dana", "churn-predictor", signedIn: true); // dana leads the owner team: she decides others' requests

        cut.Field("request-reason").Change("ready for prime time");
        cut.Find("[data-testid=request-button]").Click();
        var request = Aliases.Requests(Registry.FindModel("churn-predictor")!).Single();

        Assert.Empty(cut.FindAll($"[data-testid=approve-{request.Id}]"));
        Assert.Contains("four-eyes", cut.Find($"[data-testid=own-request-{request.Id}]").TextContent);
        Assert.Equal("Withdraw", cut.Find($"[data-testid=reject-{request.Id}]").TextContent.Trim());
        Assert.Equal(0, Entries(AuditActions.AliasApproved));
        Assert.Equal(1, Entries(AuditActions.AliasRequested));
    }

    [Fact]
    public void An_admin_approves_and_the_alias_moves()
    {
        var churn = Registry.FindModel("churn-predictor")!;
        var request = Aliases.Request(churn, "production", new AliasChangeRequest("2.0.0", "ship it"), As("dana").Caller).Value!;

        var cut = Open("admin", "churn-predictor", signedIn: true);
        cut.Find($"[data-testid=approve-{request.Id}]").Click();

        Assert.Contains("v2.0.0", cut.Find("[data-testid=current-aliases] [data-testid=alias-production]").TextContent);
        Assert.Contains("approved", cut.Find("[data-testid=decided-table]").TextContent);
        Assert.Equal(1, Entries(AuditActions.AliasApproved));
    }

    [Fact]
    public void An_auditor_sees_requests_but_cannot_request_or_decide()
    {
        var fraud = Registry.FindModel("fraud-detector")!;
        var request = Aliases.Request(fraud, "production", new AliasChangeRequest("1.1.0", "better"), As("dana").Caller).Value!;

        var cut = Open("alice");

        Assert.NotNull(cut.Find($"[data-testid=request-{request.Id}]"));
        Assert.Empty(cut.FindAll($"[data-testid=approve-{request.Id}]"));
        Assert.Empty(cut.FindAll("[data-testid=request-form]"));
    }

    [Fact]
    public void A_model_of_another_team_is_not_allowed_and_nothing_live_is_read()
    {
        var cut = Open("dana", "demand-forecast");

        Assert.NotNull(cut.Find("[data-testid=not-allowed]"));
        Assert.Empty(Summaries.Reads);
    }
}
