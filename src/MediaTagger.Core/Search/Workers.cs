using System.Runtime.ExceptionServices;

namespace MediaTagger.Core.Search;

/// <summary>Parallel.For that fails the way a plain loop would: Ctrl+C as OperationCanceledException, an error as itself, not wrapped.</summary>
static class Workers
{
    public static void For(int count, int threads, CancellationToken cancellationToken, Action<int> body)
    {
        try
        {
            Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, threads), CancellationToken = cancellationToken }, body);
        }
        catch (AggregateException ex)
        {
            cancellationToken.ThrowIfCancellationRequested();
            ExceptionDispatchInfo.Capture(ex.InnerExceptions.FirstOrDefault(e => e is not OperationCanceledException) ?? ex.InnerExceptions[0]).Throw();
        }
    }
}
