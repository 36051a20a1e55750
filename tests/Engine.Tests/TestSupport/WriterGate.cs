using ModelWatch.Engine.Ingestion;

namespace ModelWatch.Engine.Tests.TestSupport;

/// <summary>
/// An observer that holds the writer thread after each commit until opened. Observers run on the writer thread,
/// so while it is held nothing leaves the queue and the queue can be filled on purpose. Also compiled into
/// Portal.Tests (linked from its csproj), where it is registered in DI to make the API answer 429.
/// </summary>
public sealed class WriterGate : IIngestionObserver, IDisposable
{
    private readonly SemaphoreSlim _entered = new(0);
    private readonly ManualResetEventSlim _open = new(false);

    public void OnCommitted(IReadOnlyList<CommittedWrite> writes)
    {
        _entered.Release();
        _open.Wait(TimeSpan.FromSeconds(30));
    }

    /// <summary>Waits until the writer is held inside the gate.</summary>
    public async Task WaitUntilHeldAsync()
    {
        if (!await _entered.WaitAsync(TimeSpan.FromSeconds(10))) throw new TimeoutException("The writer never reached the gate.");
    }

    public void Open() => _open.Set();

    public void Dispose()
    {
        _open.Set();
        _entered.Dispose();
    }
}
