using System.Runtime.ExceptionServices;

namespace MediaTagger.Core.Models;

/// <summary>
/// Runs independent inference calls side by side, one per lane (<see cref="InferenceSettings.Lanes"/>). A session opened
/// with one intra-op thread per call and one call per core keeps every core busy with no barrier between threads:
/// measured on 2 cores, ResNet18 (batch fixed at 1) runs fastest that way, quiet or loaded, and under load a
/// descheduled thread of a multi-threaded call stalls its partner at every barrier.
/// </summary>
static class InferenceLanes
{
    /// <summary>Calls <paramref name="body"/> for 0..count-1 on up to <paramref name="lanes"/> threads; fails with the first real error, unwrapped.</summary>
    public static void Run(int count, int lanes, CancellationToken cancellationToken, Action<int> body)
    {
        if (count == 1 || lanes == 1)
        {
            for (var i = 0; i < count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                body(i);
            }
            return;
        }
        try
        {
            Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = lanes, CancellationToken = cancellationToken }, body);
        }
        catch (AggregateException ex)
        {
            cancellationToken.ThrowIfCancellationRequested();
            ExceptionDispatchInfo.Capture(ex.InnerExceptions.FirstOrDefault(e => e is not OperationCanceledException) ?? ex.InnerExceptions[0]).Throw();
        }
    }
}
