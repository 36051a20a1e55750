using Microsoft.Extensions.Logging;
using ModelWatch.Engine.Ingestion;

namespace ModelWatch.Engine.Demo;

/// <summary>
/// Sends one demo batch the way a well-behaved client would: a full queue or a writer that is not up yet means wait
/// and send the same batch again (never drop); a refused batch is a bug in the simulator and is logged as an error.
/// </summary>
internal static class DemoDelivery
{
    public static readonly TimeSpan QueueFullBackoff = TimeSpan.FromMilliseconds(250);
    public static readonly TimeSpan UnavailableBackoff = TimeSpan.FromSeconds(2);

    public static async Task<IngestResult> SendAsync(Func<CancellationToken, Task<IngestResult>> send, string what, TimeProvider clock, ILogger logger, CancellationToken cancellationToken)
    {
        var unavailableLogged = false;
        while (true)
        {
            var result = await send(cancellationToken).ConfigureAwait(false);
            switch (result.Status)
            {
                case IngestStatus.Stored:
                    return result;
                case IngestStatus.Invalid:
                    logger.LogError("Demo {What} was refused; this is a bug in the simulator: {Problem} {Errors}", what, result.Problem,
                        string.Join("; ", result.Errors.Take(5).Select(e => $"[{e.Index}] {e.Field}: {e.Reason}")));
                    return result;
                case IngestStatus.QueueFull:
                    await Task.Delay(QueueFullBackoff, clock, cancellationToken).ConfigureAwait(false);
                    break;
                default:
                    if (!unavailableLogged) logger.LogWarning("Demo {What} waits for the ingestion writer: {Problem}", what, result.Problem);
                    unavailableLogged = true;
                    await Task.Delay(UnavailableBackoff, clock, cancellationToken).ConfigureAwait(false);
                    break;
            }
        }
    }
}
