using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ModelWatch.Portal.Components.Alerting;

/// <summary>The alerting pages' view models: stateless, each acting for the caller it is handed.</summary>
public static class AlertingPages
{
    public static IServiceCollection AddAlertingPages(this IServiceCollection services)
    {
        services.TryAddSingleton<AlertInboxModel>();
        services.TryAddSingleton<SilencesModel>();
        services.TryAddSingleton<ModelAlertsModel>();
        services.TryAddSingleton<IFiringAlerts, FiringAlerts>();
        return services;
    }
}
