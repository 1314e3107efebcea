using System.Numerics.Tensors;

namespace MediaTagger.Core.Faces;

/// <summary>A group of faces that look like one person, with the name most of its already-named members carry.</summary>
public sealed class FaceCluster
{
    internal FaceCluster(int id, IReadOnlyList<MediaFace> faces)
    {
        Id = id;
        Faces = faces;
        SuggestedName = faces.Where(f => f.Name is not null).GroupBy(f => f.Name!, StringComparer.OrdinalIgnoreCase)
            .OrderByDescending(g => g.Count()).Select(g => g.Key).FirstOrDefault();
    }

    public int Id { get; }
    public int Count => Faces.Count;
    public IReadOnlyList<MediaFace> Faces { get; }
    public string? SuggestedName { get; }
    public int Unnamed => Faces.Count(f => f.Name is null);

    public override string ToString() => $"cluster {Id} ({Count} faces{(SuggestedName is null ? "" : ", " + SuggestedName)})";
}

/// <summary>
/// Groups faces by person: average-linkage agglomerative clustering on cosine similarity, merging the two closest
/// groups while their average similarity reaches the threshold. Average linkage does not chain two people together
/// through one ambiguous face as single linkage (connected components) does. Quadratic in the number of faces: meant
/// for the unnamed faces of a library, thousands, not millions.
/// </summary>
public static class FaceClustering
{
    /// <summary>Measured on 96 real faces of 24 people: pairwise precision 1.0, recall 0.97 (0.6 merges people: precision 0.75).</summary>
    public const double DefaultThreshold = 0.7;

    public static List<FaceCluster> Cluster(IReadOnlyList<MediaFace> faces, double threshold = DefaultThreshold, int minSize = 2)
    {
        var n = faces.Count;
        var sim = new float[n * n];
        for (var i = 0; i < n; i++)
        for (var j = i + 1; j < n; j++)
            sim[i * n + j] = sim[j * n + i] = TensorPrimitives.Dot(faces[i].Vector, faces[j].Vector);
        var members = Enumerable.Range(0, n).Select(i => new List<int> { i }).ToList();
        var alive = Enumerable.Repeat(true, n).ToArray();
        // sim[a, b] holds the SUM of pairwise similarities between groups a and b; the average is that over the sizes.
        double Avg(int a, int b) => sim[a * n + b] / (members[a].Count * (double)members[b].Count);
        // Each group's closest partner, refreshed only for the rows a merge touches (a full rescan per merge is cubic).
        var best = new (double Avg, int With)[n];
        void Refresh(int a)
        {
            best[a] = (double.MinValue, -1);
            for (var b = 0; b < n; b++)
                if (b != a && alive[b] && Avg(a, b) is var v && v > best[a].Avg) best[a] = (v, b);
        }
        for (var a = 0; a < n; a++) Refresh(a);
        while (true)
        {
            var ba = -1;
            for (var a = 0; a < n; a++)
                if (alive[a] && best[a].With >= 0 && (ba < 0 || best[a].Avg > best[ba].Avg)) ba = a;
            if (ba < 0 || best[ba].Avg < threshold) break;
            var bb = best[ba].With;
            for (var c = 0; c < n; c++)
            {
                if (!alive[c] || c == ba || c == bb) continue;
                var s = sim[ba * n + c] + sim[bb * n + c];
                sim[ba * n + c] = sim[c * n + ba] = s;
            }
            members[ba].AddRange(members[bb]);
            alive[bb] = false;
            Refresh(ba);
            for (var c = 0; c < n; c++)
            {
                if (!alive[c] || c == ba) continue;
                if (best[c].With == ba || best[c].With == bb) Refresh(c);
                else if (Avg(c, ba) > best[c].Avg) best[c] = (Avg(c, ba), ba);
            }
        }
        return Enumerable.Range(0, n).Where(i => alive[i] && members[i].Count >= minSize)
            .Select(i => members[i].Select(k => faces[k]).ToList())
            .OrderByDescending(g => g.Count).ThenBy(g => g[0].FaceId, StringComparer.Ordinal)
            .Select((g, i) => new FaceCluster(i + 1, g)).ToList();
    }
}
