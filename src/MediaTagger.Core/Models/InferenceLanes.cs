using System.Runtime.ExceptionServices;

namespace MediaTagger.Core.Models;

/// <summary>
/// Runs independent inference calls side by side, one per lane. A session opened with one intra-op thread per call and
/// one call per core keeps every core busy with no barrier between threads: measured on 2 shared cores, ResNet18
/// (batch fixed at 1) and ViT-B/32 both ran faster as two single-threaded calls at once than as one two-threaded call,
/// and the gap widens under load, where a descheduled thread stalls its partner at every barrier.
/// </summary>
static class InferenceLanes
{
    /// <summary>Lanes for sessions opened with <paramref name="intraOpThreads"/> threads per call: the cores they leave free.</summary>
    public static int For(int intraOpThreads) => Math.Max(1, Environment.ProcessorCount / Math.Max(1, intraOpThreads));

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
