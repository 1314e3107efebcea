using System.Numerics.Tensors;
using MediaTagger.Core.Common;
using MediaTagger.Core.Search;

namespace MediaTagger.Core.Subjects;

/// <summary>
/// The vectors of a subject's examples under one model: stored rows for library assets (a video's named frame; for an
/// approved video without one, the frame most like the other positives; every frame of a rejected video), and the
/// model's embedding of anchor files outside the library. Examples the model has no vector for are counted and reported.
/// </summary>
public sealed class SubjectVectors
{
    /// <summary>Undecided items sampled as weak negatives: enough to outweigh a few rejections, few enough to train fast.</summary>
    const int BackgroundSize = 200;

    public List<float[]> Positives { get; } = [];
    public List<float[]> Negatives { get; } = [];

    /// <summary>A fixed sample of undecided items, weak negatives for training (see <see cref="SubjectClassifier.Train"/>).</summary>
    public List<float[]> Background { get; } = [];

    /// <summary>Examples without a vector under this model (not embedded yet with it, or unreadable files).</summary>
    public List<SubjectExample> Missing { get; } = [];

    /// <param name="embedFile">Embeds an image file with the store's model (every frame for a video).</param>
    public static SubjectVectors For(SubjectExamples examples, ResidentStore store, Func<string, float[][]> embedFile, Action<ItemError> onError)
    {
        var result = new SubjectVectors();
        var assets = examples.All.Where(e => e.AssetId is not null).ToList();
        var groups = store.FindGroups(assets.Select(e => e.AssetId!).ToList());
        // Positives first: the frame choice for an approved video without a named frame looks at them.
        foreach (var e in assets.OrderBy(e => e.Positive ? 0 : 1).ThenBy(e => e.AssetId, StringComparer.Ordinal))
        {
            if (!groups.TryGetValue(e.AssetId!, out var group))
            {
                result.Missing.Add(e);
                continue;
            }
            var (first, end) = store.RowsOf(group);
            var rows = Enumerable.Range(first, end - first).ToList();
            if (e.Frame is { } frame)
            {
                var named = rows.Where(r => store.FrameOf(r) == frame).ToList();
                if (named.Count > 0) rows = named;
            }
            if (e.Positive)
            {
                var row = rows.Count == 1 ? rows[0] : MostLike(store, rows, result.Positives);
                result.Positives.Add(store.Row(row).ToArray());
            }
            else result.Negatives.AddRange(rows.Select(r => store.Row(r).ToArray()));
        }
        var count = Math.Min(BackgroundSize, store.GroupCount / 2);
        var random = new Random(12345);
        for (var tries = 0; result.Background.Count < count && tries < count * 4; tries++)
        {
            var g = random.Next(store.GroupCount);
            if (examples.Decided.Contains(store.AssetIdOf(g))) continue;
            result.Background.Add(store.Row(store.RowsOf(g).First).ToArray());
        }
        foreach (var e in examples.All.Where(e => e.AssetId is null && e.File is not null))
        {
            try
            {
                var vectors = embedFile(e.File!);
                if (vectors.Length == 0) { result.Missing.Add(e); continue; }
                if (e.Positive) result.Positives.Add(vectors[0]);
                else result.Negatives.AddRange(vectors);
            }
            catch (Exception ex) when (ex is MediaTaggerException or IOException or UnauthorizedAccessException)
            {
                result.Missing.Add(e);
                onError(new ItemError(ErrorIds.SubjectExampleMissing, $"The anchor '{e.File}' cannot be used ({ex.Message}).", e.File, ErrorKind.ReadError, ex));
            }
        }
        return result;
    }

    /// <summary>
    /// A person's vectors: the face embeddings of its example faces, and a fixed sample of undecided faces as weak
    /// background negatives (as for pictures: most faces in a library are someone else).
    /// </summary>
    public static SubjectVectors ForFaces(SubjectExamples examples, Faces.FaceLibrary faces)
    {
        var result = new SubjectVectors();
        var byId = faces.Faces.ToDictionary(f => f.FaceId, StringComparer.Ordinal);
        foreach (var e in examples.All.OrderBy(e => e.FaceId, StringComparer.Ordinal))
        {
            if (e.FaceId is null || !byId.TryGetValue(e.FaceId, out var face))
            {
                result.Missing.Add(e);
                continue;
            }
            (e.Positive ? result.Positives : result.Negatives).Add(face.Vector);
        }
        var undecided = faces.Faces.Where(f => !examples.Decided.Contains(f.FaceId)).ToList();
        var random = new Random(12345);
        result.Background.AddRange(undecided.OrderBy(_ => random.Next()).Take(Math.Min(BackgroundSize, undecided.Count / 2)).Select(f => f.Vector));
        return result;
    }

    /// <summary>The frame closest to the positives found so far (the first frame when there are none).</summary>
    static int MostLike(ResidentStore store, List<int> rows, List<float[]> positives)
    {
        if (positives.Count == 0) return rows[0];
        return rows.MaxBy(r => positives.Max(p => TensorPrimitives.Dot(store.Row(r), p)));
    }
}
