using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ModelWatch.Portal.Components.Governance;

/// <summary>The governance pages' view models: stateless, each acting for the caller it is handed.</summary>
public static class GovernanceServices
{
    public static IServiceCollection AddGovernancePages(this IServiceCollection services)
    {
        services.TryAddSingleton<TeamsPageModel>();
        services.TryAddSingleton<OwnershipPageModel>();
        services.TryAddSingleton<RegistryPageModel>();
        services.TryAddSingleton<AuditPageModel>();
        return services;
    }
}
