using ModelWatch.Engine.Demo;

namespace ModelWatch.Portal;

/// <summary>Registers the demo traffic simulator; call after AddEngine so it starts after migrations and the writer.</summary>
public static class DemoServices
{
    public static IServiceCollection AddDemo(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DemoOptions>().Bind(configuration.GetSection("Portal:Demo")).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<DemoSeeder>();
        services.AddSingleton<DemoAlertRules>();
        services.AddHostedService<DemoTraffic>();
        return services;
    }
}
