using Microsoft.Extensions.DependencyInjection.Extensions;
using ModelWatch.Portal.Components.Alerting;
using ModelWatch.Portal.Components.Governance;
using ModelWatch.Portal.Components.ViewModels;

namespace ModelWatch.Portal.Components;

/// <summary>What the Blazor UI adds to the container: who is looking, what they may see, and how fast panels refresh.</summary>
public static class UiServices
{
    public static IServiceCollection AddPortalUi(this IServiceCollection services)
    {
        services.AddOptions<LiveViewOptions>().BindConfiguration("Portal:Ui").ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IViewerResolver, ViewerResolver>();
        services.TryAddSingleton<IModelCatalog, RegistryModelCatalog>();
        services.TryAddSingleton<SharedTimelines>();
        services.TryAddScoped<Shared.ChartScripts>();
        services.AddGovernancePages();
        services.AddAlertingPages();
        return services;
    }
}
