using ModelWatch.Engine.Ingestion;
using ModelWatch.Engine.Registry;

namespace ModelWatch.Engine.Tests.TestSupport;

/// <summary>
/// Base of the ingestion tests: a running engine of their own with the fraud-detector model
/// (amount: numerical 0..50000, age: numerical, country: categorical DE/FR/US; version 1.0.0).
/// </summary>
public abstract class EngineWithModel(IngestionOptions? options = null) : IAsyncLifetime
{
    protected EngineHarness Engine { get; private set; } = null!;
    protected ModelDefinition Model { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Engine = await EngineHarness.StartAsync(options);
        Model = Engine.Model();
    }

    public async Task DisposeAsync() => await Engine.DisposeAsync();
}
