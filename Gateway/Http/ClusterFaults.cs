using System.Data.Common;
using Orleans.Runtime;
using Orleans.Runtime.Messaging;
using Orleans.Serialization;
using Orleans.Storage;

namespace OrleansWg.Gateway.Http;

/// <summary>Which exceptions of a cluster call mean "the control plane cannot answer now", not a fault of the request.</summary>
public static class ClusterFaults
{
    /// <summary>
    /// The call's silo died or dropped it, its placement expired while the cluster was re-forming, or
    /// two activations raced: the call may run again, with the same idempotency key.
    /// </summary>
    public static bool IsRetryable(Exception exception) =>
        exception is OrleansMessageRejectionException or ConnectionFailedException or InconsistentStateException or OperationCanceledException;

    /// <summary>Worth a 503 and a retry later: a silo died, a call timed out, or the database is down.</summary>
    public static bool IsUnavailable(Exception exception) =>
        Chain(exception).Any(e => e is OrleansException or StorageUnavailableException or TimeoutException or OperationCanceledException or DbException or UnavailableExceptionFallbackException);

    private static IEnumerable<Exception> Chain(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            yield return e;
        }
    }
}
