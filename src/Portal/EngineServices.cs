using ModelWatch.Engine;
using ModelWatch.Engine.Access;
using ModelWatch.Engine.Alerting;
using ModelWatch.Engine.Audit;
using ModelWatch.Engine.Ingestion;
using ModelWatch.Engine.Live;
using ModelWatch.Engine.Registry;
using ModelWatch.Engine.Storage;
using ModelWatch.Engine.Windows;
using Microsoft.Extensions.Options;

namespace ModelWatch.Portal;

/// <summary>Registers the Engine: options from configuration (validated at start) and the stores, in start-up order.</summary>
public static class EngineServices
{
    public static IServiceCollection AddEngine(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StorageOptions>()
            .Bind(configuration.GetSection("Portal:Storage"))
            .Configure(o => o.ConnectionString = configuration.GetConnectionString("Portal") ?? o.ConnectionString)
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<StorageOptions>, StorageOptionsValidation>();
        services.AddOptions<IngestionOptions>().Bind(configuration.GetSection("Portal:Ingestion")).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<LiveOptions>().Bind(configuration.GetSection("Portal:Live")).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<BootstrapOptions>().Bind(configuration.GetSection("Portal:Bootstrap"));
        services.AddOptions<MetricOptions>().Bind(configuration.GetSection(MetricOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<MetricOptions>, MetricOptionsValidation>();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<MetricOptions>>().Value);

        services.AddOptions<AggregateOptions>().Bind(configuration.GetSection("Portal:Aggregates")).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ModelWatch.Engine.Retention.RetentionOptions>().Bind(configuration.GetSection("Portal:Retention")).ValidateDataAnnotations().ValidateOnStart();

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<EngineHealth>();
        services.AddSingleton<SqliteConnectionFactory>();
        // Stores moved behind the provider seam take IConnectionFactory; Portal:Storage:Provider=postgres is refused at
        // start (StorageOptionsValidation) until every store has moved, so this is SQLite for now.
        services.AddSingleton<IConnectionFactory>(sp => sp.GetRequiredService<SqliteConnectionFactory>());
        services.AddSingleton<MigrationRunner>();
        services.AddSingleton<RegistryStore>();
        services.AddGovernance();
        services.AddSingleton<ApiKeyStore>();
        services.AddSingleton<UserStore>();
        services.AddSingleton<SessionStore>();
        services.AddSingleton<ReferenceStore>();
        // One bound (Portal:Aggregates:CacheMegabytes) for what reads keep decoded: stored slots, window parts, baselines.
        services.AddSingleton(sp => new AggregateCache(sp.GetRequiredService<IOptions<AggregateOptions>>().Value.CacheMegabytes * 1024L * 1024L));
        services.AddSingleton<Baselines>();
        services.AddSingleton(sp =>
        {
            var store = ActivatorUtilities.CreateInstance<BucketStore>(sp);
            var categories = configuration.GetValue("Portal:Aggregates:MaxCategoriesPerFeature", BucketLimits.DefaultMaxCategoriesPerFeature);
            if (categories is < 1 or > 100_000)
                throw new OptionsValidationException("Portal:Aggregates:MaxCategoriesPerFeature", typeof(BucketLimits),
                    [$"Portal:Aggregates:MaxCategoriesPerFeature must lie between 1 and 100000 (got {categories})."]);
            store.Limits = new BucketLimits(categories);
            store.Writer = sp.GetRequiredService<IngestionWriter>; // resolved at the first flush: the writer observes this store
            return store;
        });
        services.AddSingleton<IIngestionObserver>(sp => sp.GetRequiredService<BucketStore>());
        services.AddSingleton<IngestionWriter>();
        services.AddSingleton<IngestionService>();
        services.AddSingleton<DriftSettingsStore>();
        services.AddSingleton<SummaryService>();
        services.AddSingleton<ISummaryReader>(sp => sp.GetRequiredService<SummaryService>());
        services.AddSingleton<IRangeSummaryReader>(sp => sp.GetRequiredService<SummaryService>());
        services.AddSingleton(sp => new LiveFeed(sp.GetRequiredService<SummaryService>(), sp.GetRequiredService<BucketStore>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<LiveFeed>>()) { Interval = sp.GetRequiredService<IOptions<LiveOptions>>().Value.Interval });
        services.AddSingleton<ILiveFeed>(sp => sp.GetRequiredService<LiveFeed>());

        // Hosted services start in registration order: schema, then the aggregates (which note the watermark and replay
        // the tail above it before folding any new commit), then the writer, then the live feed.
        services.AddHostedService<EngineStartup>();
        services.AddHostedService(sp => sp.GetRequiredService<BucketStore>());
        services.AddHostedService(sp => sp.GetRequiredService<IngestionWriter>());
        services.AddHostedService(sp => sp.GetRequiredService<LiveFeed>());
        services.AddAlerting(configuration);
        return services;
    }

    /// <summary>Alerting (Portal:Alerting): rules, evaluation loop, dispatcher and outbox. Started after the live feed.</summary>
    public static IServiceCollection AddAlerting(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AlertingOptions>().Bind(configuration.GetSection("Portal:Alerting")).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(new PortalLinks { BaseUrl = configuration["Portal:PublicUrl"] ?? configuration["urls"]?.Split(';')[0] ?? "http://localhost:5000" });
        services.AddSingleton<AlertRuleStore>().AddSingleton<AlertStore>().AddSingleton<NotificationSettingsStore>().AddSingleton<SilenceStore>()
            .AddSingleton<DeliveryStore>().AddSingleton<AlertEvaluator>().AddSingleton<AlertDispatcher>().AddSingleton<AlertOutbox>()
            .AddSingleton<AlertRuleCommands>().AddSingleton<AlertCommands>().AddSingleton<AlertPreview>().AddSingleton<ReferenceBands>();
        services.AddSingleton(sp => new AlertTransports(new HttpClient(), sp.GetRequiredService<IOptions<AlertingOptions>>()));
        services.AddHostedService<AlertingLoop>();
        return services;
    }

    /// <summary>The audit log and the governance stores that write through it.</summary>
    public static IServiceCollection AddGovernance(this IServiceCollection services) => services
        .AddSingleton<AuditLog>().AddSingleton<IAnnotationReader, ModelAnnotations>().AddSingleton<ModelLimitsStore>().AddSingleton<OwnershipStore>().AddSingleton<AliasStore>().AddSingleton<MembershipStore>().AddSingleton<TeamCreation>();
}
