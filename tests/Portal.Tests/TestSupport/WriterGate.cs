using ModelWatch.Engine.Ingestion;

namespace ModelWatch.Portal.Tests.TestSupport;

/// <summary>
/// A test-only observer registered in DI: it holds the writer thread after a commit until opened, so the
/// ingestion queue fills and the next sender is told to come back later.
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

    public async Task WaitUntilHeldAsync()
    {
        if (!await _entered.WaitAsync(TimeSpan.FromSeconds(10))) throw new TimeoutException("The writer never reached the gate.");
    }

    public void Open() => _open.Set();

    public void Dispose() => _open.Set();
}
