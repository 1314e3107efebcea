using MediaTagger.Core.Library;
using MediaTagger.Core.Search;

namespace MediaTagger.Core.Subjects;

/// <summary>
/// The next round of an active review: never an asset already decided; mostly the most likely ones (each approval
/// is found at once), plus, once a classifier ranks, a few of the most uncertain (probability nearest 0.5), whose
/// answers teach the classifier the most about where the boundary lies. Shown best first.
/// </summary>
public sealed class SubjectBatch
{
    /// <summary>Candidates looked at for the uncertain picks and the estimate of what is left.</summary>
    public const int PoolSize = 5000;

    SubjectBatch(List<SubjectCandidate> items, int uncertain, double? remaining)
    {
        Items = items;
        Uncertain = uncertain;
        EstimatedRemaining = remaining;
    }

    public IReadOnlyList<SubjectCandidate> Items { get; }

    /// <summary>How many of <see cref="Items"/> were picked for being uncertain rather than likely.</summary>
    public int Uncertain { get; }

    /// <summary>Sum of the probabilities of every undecided candidate in the pool: the expected number of positives not reviewed yet. Null without a classifier.</summary>
    public double? EstimatedRemaining { get; }

    /// <summary>The uncertain share of a round: one in six (4 of 24), at least one, none while the anchors' rule ranks.</summary>
    public static int UncertainFor(int size, SubjectMode mode) => mode == SubjectMode.Classifier && size > 1 ? Math.Max(1, size / 6) : 0;

    public static SubjectBatch Next(SubjectRanker ranker, ResidentStore store, AssetCatalog catalog, IReadOnlySet<string> decided, int size,
        Func<MediaAsset, bool>? include = null, CancellationToken cancellationToken = default) =>
        From(ranker, ranker.Rank(store, catalog, decided, PoolFor(size), include: include, cancellationToken: cancellationToken), size);

    /// <summary>How many of the best undecided candidates a round of <paramref name="size"/> picks from.</summary>
    public static int PoolFor(int size) => Math.Max(PoolSize, size * 4);

    /// <summary>Picks a round from a ranked pool (best first, nothing decided in it): pictures or a person's faces alike.</summary>
    public static SubjectBatch From(SubjectRanker ranker, List<SubjectCandidate> pool, int size)
    {
        var uncertain = Math.Min(UncertainFor(size, ranker.Mode), Math.Max(0, pool.Count - size));
        var likely = pool.Take(size - uncertain).ToList();
        var picked = likely.Concat(pool.Skip(likely.Count).OrderBy(c => Math.Abs(c.Value - 0.5)).Take(uncertain))
            .OrderByDescending(c => c.Value).ToList();
        double? remaining = ranker.Mode == SubjectMode.Classifier ? pool.Sum(c => c.Probability ?? 0) : null;
        return new SubjectBatch(picked, picked.Count - likely.Count, remaining);
    }
}
