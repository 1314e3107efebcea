using MediaTagger.Core.Models;
using MediaTagger.Core.Search;

namespace MediaTagger.Core.Tests.Search;

public class CentredScoresTests
{
    static double CentredCosine(float[] x, float[] q, float[] mean)
    {
        double dot = 0, nx = 0, nq = 0;
        for (var i = 0; i < x.Length; i++)
        {
            double a = x[i] - mean[i], b = q[i] - mean[i];
            dot += a * b; nx += a * a; nq += b * b;
        }
        return dot / Math.Sqrt(nx * nq);
    }

    [Fact]
    public void With_a_feature_mean_the_scan_scores_the_cosine_of_the_centred_vectors_and_ranks_by_it()
    {
        using var f = new SearchFixture();
        var rng = new Random(7);
        // Non-negative features sharing a large common part, like ResNet18's: every plain cosine is high.
        float[] Row() => SearchFixture.Normalize(Enumerable.Range(0, 8).Select(i => 1f + (float)rng.NextDouble() * 0.6f).ToArray());
        var rows = Enumerable.Range(0, 12).Select(i => ($"r{i}", Row())).ToArray();
        f.Embed(rows);
        var mean = FeatureStatistics.Compute("m", "test", rows.Select(r => r.Item2).ToList()).Mean;
        var store = ResidentStore.Load(f.Location);
        var query = rows[3].Item2;
        var plain = SimilarityScan.TopK(store, new ScanRequest { Positives = [query], K = 12, MinScore = -1 });
        Assert.True(plain.All(h => h.Score > 0.9f), "plain cosines of these rows are all high");
        var hits = SimilarityScan.TopK(store, new ScanRequest { Positives = [query], K = 12, MinScore = -1, Mean = mean });
        Assert.Equal("r3", store.Keys[hits[0].Row]);
        Assert.Equal(1f, hits[0].Score, 4);
        foreach (var h in hits)
            Assert.Equal(CentredCosine(rows.Single(r => r.Item1 == store.Keys[h.Row]).Item2, query, mean), h.Score, 4);
        var expected = rows.Select(r => (r.Item1, Score: CentredCosine(r.Item2, query, mean))).OrderByDescending(r => r.Score).Select(r => r.Item1);
        Assert.Equal(expected, hits.Select(h => store.Keys[h.Row]));
        Assert.Contains(hits, h => h.Score < 0); // the scale is used: unlike rows now score below zero
        store.Release();
    }

    [Fact]
    public void Negatives_are_compared_on_the_same_centred_scale()
    {
        using var f = new SearchFixture();
        var mean = SearchFixture.Normalize([1, 1, 1, 1, 1, 1, 1, 1]).Select(x => x * 0.9f).ToArray();
        var p = SearchFixture.Normalize([2, 1, 1, 1, 1, 1, 1, 1]);
        var n = SearchFixture.Normalize([1, 2, 1, 1, 1, 1, 1, 1]);
        var nearP = SearchFixture.Normalize([1.9f, 1.1f, 1, 1, 1, 1, 1, 1]);
        var nearN = SearchFixture.Normalize([1.1f, 1.9f, 1, 1, 1, 1, 1, 1]);
        f.Embed(("nearP", nearP), ("nearN", nearN));
        var store = ResidentStore.Load(f.Location);
        var hits = SimilarityScan.TopK(store, new ScanRequest { Positives = [p], Negatives = [n], K = 10, MinScore = -1, Mean = mean });
        Assert.Equal(["nearP"], hits.Select(h => store.Keys[h.Row]));
        store.Release();
    }

    [Fact]
    public void The_built_in_model_ships_a_feature_mean_for_its_own_weights()
    {
        using var model = ResNet18Model.Load();
        var stats = FeatureStatistics.For(model.ModelId);
        Assert.NotNull(stats); // recompute with bench/New-FeatureStatistics.ps1 when the weights change
        Assert.Equal(model.Dimension, stats.Mean.Length);
        Assert.True(stats.Count >= 100, stats.Source);
        Assert.All(stats.Mean, x => Assert.True(x >= 0)); // ReLU features: their mean is non-negative
        Assert.Null(FeatureStatistics.For("clip-vit-tiny@sha256:0000"));
    }
}

public class CentredCompactScanTests
{
    [Fact]
    public void The_int8_first_pass_returns_exactly_the_float32_result_on_the_centred_scale()
    {
        using var f = new SearchFixture(dim: 512);
        var random = new Random(11);
        // Non-negative, ReLU-like features with a strong common part: the case centring exists for.
        float[] Row() => SearchFixture.Normalize(Enumerable.Range(0, 512).Select(d => (float)(random.NextDouble() < 0.4 ? 0 : random.NextDouble() * (1 + d % 7))).ToArray());
        var rows = Enumerable.Range(0, ResidentStore.CompactMinRows + 500).Select(i => ($"r{i}", Row())).ToArray();
        f.Embed(rows);
        var store = ResidentStore.Load(f.Location);
        Assert.NotNull(store.Compact);
        var mean = FeatureStatistics.Compute("m", "test", rows.Take(2000).Select(r => r.Item2).ToList()).Mean;
        foreach (var (positives, negatives, k) in new[]
                 {
                     (new[] { rows[5].Item2 }, Array.Empty<float[]>(), 100),
                     (new[] { rows[6].Item2, Row(), Row() }, Array.Empty<float[]>(), 700),
                     (new[] { rows[7].Item2, Row() }, new[] { rows[8].Item2, Row() }, 100),
                 })
        {
            var request = new ScanRequest { Positives = positives, Negatives = negatives, K = k, MinScore = -1, Mean = mean };
            var exact = SimilarityScan.ExactTopK(store, new ScanRequest { Positives = positives, Negatives = negatives, K = k, MinScore = -1, Mean = mean });
            Assert.Equal(exact, CompactScan.TopK(store, store.Compact!, request)); // same groups, rows, float scores, order
        }
        store.Release();
    }

    [Fact]
    public void The_int8_copy_keeps_its_centred_bounds_per_mean_so_another_mean_or_none_still_gives_the_float32_result()
    {
        using var f = new SearchFixture(dim: 256);
        var random = new Random(23);
        float[] Row() => SearchFixture.Normalize(Enumerable.Range(0, 256).Select(d => (float)(random.NextDouble() < 0.5 ? 0 : random.NextDouble() * (1 + d % 5))).ToArray());
        var rows = Enumerable.Range(0, ResidentStore.CompactMinRows + 100).Select(i => ($"c{i}", Row())).ToArray();
        f.Embed(rows);
        var store = ResidentStore.Load(f.Location);
        var compact = store.Compact!;
        // Two different means (two models' statistics over the same kind of rows), a copy of the first, and none.
        var first = FeatureStatistics.Compute("m", "test", rows.Take(1000).Select(r => r.Item2).ToList()).Mean;
        var second = first.Select((x, d) => d % 3 == 0 ? x * 1.5f : x * 0.5f).ToArray();
        var copy = (float[])first.Clone();
        var plainBytes = compact.Bytes;
        foreach (var mean in new[] { first, second, null, copy, first, second })
        {
            var request = new ScanRequest { Positives = [rows[9].Item2, Row()], Negatives = [rows[10].Item2], K = 150, MinScore = -1, Mean = mean };
            var exact = SimilarityScan.ExactTopK(store, new ScanRequest { Positives = request.Positives, Negatives = request.Negatives, K = 150, MinScore = -1, Mean = mean });
            Assert.Equal(exact, CompactScan.TopK(store, compact, request));
        }
        Assert.True(compact.Bytes > plainBytes, "the centred bounds are counted in the int8 copy's memory");
        store.Release();
    }
}
