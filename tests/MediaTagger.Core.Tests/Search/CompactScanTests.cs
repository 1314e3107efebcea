using ImageMagick;
using MediaTagger.Core.Models;
using MediaTagger.Core.Search;
using MediaTagger.Core.Tests.Embeddings;

namespace MediaTagger.Core.Tests.Search;

/// <summary>The int8 first pass plus float32 re-score must return exactly what the float32 scan returns.</summary>
public class CompactScanTests
{
    static ScanRequest Request(float[][] positives, float[][]? negatives = null, int k = 100, float minScore = -1, Func<int, bool>? include = null, int? threads = null) =>
        new() { Positives = positives, Negatives = negatives ?? [], K = k, MinScore = minScore, Include = include, MaxThreads = threads };

    static void AssertSameAsExact(ResidentStore store, CompactRows compact, ScanRequest request)
    {
        var exact = SimilarityScan.ExactTopK(store, request);
        var fast = CompactScan.TopK(store, compact, request);
        Assert.Equal(exact, fast); // same groups, rows, float scores, order
    }

    static float[] RandomUnit(Random random, int dim)
    {
        var v = new float[dim];
        for (var d = 0; d < dim; d++) v[d] = (float)(random.NextDouble() * 2 - 1);
        return SearchFixture.Normalize(v);
    }

    [Fact]
    public void A_large_store_gets_an_int8_copy_and_its_top_100_equals_the_float32_scan_for_random_512_d_vectors()
    {
        using var f = new SearchFixture(dim: 512);
        var random = new Random(42);
        var rows = Enumerable.Range(0, ResidentStore.CompactMinRows + 1000).Select(i => ($"r{i}", RandomUnit(random, 512))).ToArray();
        f.Embed(rows);
        var store = ResidentStore.Load(f.Location);
        Assert.NotNull(store.Compact);
        Assert.True(store.Compact!.Bytes < store.RowCount * 512L * 4 * 0.3, "the int8 copy is about a quarter of the float32 rows");
        foreach (var query in new[] { 0, 17, 20_000, rows.Length - 1 })
        {
            var q = SearchFixture.Normalize(rows[query].Item2);
            var request = Request([q]);
            Assert.Equal(SimilarityScan.ExactTopK(store, request), SimilarityScan.TopK(store, request)); // TopK goes through the int8 copy
            AssertSameAsExact(store, store.Compact, Request([q], threads: 1));
            AssertSameAsExact(store, store.Compact, Request([RandomUnit(random, 512)], k: 700));
        }
        // Several anchors and negatives, MinScore and an include filter.
        float[][] anchors = [rows[1].Item2, rows[2].Item2, RandomUnit(random, 512)];
        float[][] negatives = [rows[3].Item2, RandomUnit(random, 512)];
        AssertSameAsExact(store, store.Compact, Request(anchors, negatives));
        AssertSameAsExact(store, store.Compact, Request(anchors, negatives, minScore: 0.1f));
        AssertSameAsExact(store, store.Compact, Request(anchors, include: g => g % 3 != 0)); // τ over included groups only
        var best = SimilarityScan.ExactTopK(store, Request(anchors))[0].Group;
        AssertSameAsExact(store, store.Compact, Request(anchors, include: g => g != best)); // τ over all groups suffices
        store.Release();
    }

    [Fact]
    public void Ties_are_broken_by_store_order_exactly_as_the_float32_scan_does()
    {
        using var f = new SearchFixture(dim: 64);
        var random = new Random(3);
        var distinct = Enumerable.Range(0, 50).Select(_ => RandomUnit(random, 64)).ToArray();
        // Every vector stored 40 times: each score is shared by 40 groups, so the cut at K falls inside a tie.
        f.Embed(Enumerable.Range(0, 2000).Select(i => ($"t{i}", distinct[i % 50])).ToArray());
        var store = ResidentStore.Load(f.Location);
        using var compact = CompactRows.Build(store);
        foreach (var k in new[] { 1, 30, 100, 101, 999 })
            AssertSameAsExact(store, compact, Request([distinct[7]], k: k));
        AssertSameAsExact(store, compact, Request([distinct[7], distinct[8]], [distinct[9]], k: 100));
        var hits = CompactScan.TopK(store, compact, Request([distinct[7]], k: 100));
        Assert.Equal(Enumerable.Range(0, 40).Select(i => 7 + 50 * i), hits.Take(40).Select(h => h.Group));
        store.Release();
    }

    [Fact]
    public void K_larger_than_the_library_returns_every_eligible_group_like_the_float32_scan()
    {
        using var f = new SearchFixture();
        f.Embed(Enumerable.Range(0, 25).Select(i => ($"k{i}", SearchFixture.At(i * 0.13))).ToArray());
        var store = ResidentStore.Load(f.Location);
        using var compact = CompactRows.Build(store);
        AssertSameAsExact(store, compact, Request([SearchFixture.At(0)], k: 1000));
        Assert.Equal(25, CompactScan.TopK(store, compact, Request([SearchFixture.At(0)], k: 1000)).Length);
        AssertSameAsExact(store, compact, Request([SearchFixture.At(0)], [SearchFixture.At(Math.PI / 2)], k: 1000));
        AssertSameAsExact(store, compact, Request([SearchFixture.At(0)], k: 1000, minScore: 0.5f));
        store.Release();
    }

    [Fact]
    public void Negative_anchors_and_video_frames_give_the_float32_result()
    {
        using var f = new SearchFixture(dim: 32);
        var random = new Random(11);
        var rows = new List<(string, float[])>();
        for (var i = 0; i < 3000; i++)
        {
            var id = i.ToString("x40");
            rows.Add((id, RandomUnit(random, 32)));
            if (i % 5 == 0) rows.Add((id + "#2", RandomUnit(random, 32)));
            if (i % 10 == 0) rows.Add((id + "#3", RandomUnit(random, 32)));
        }
        f.Embed(rows.ToArray());
        var store = ResidentStore.Load(f.Location);
        Assert.NotNull(store.GroupStarts);
        using var compact = CompactRows.Build(store);
        for (var trial = 0; trial < 20; trial++)
        {
            float[][] positives = [.. Enumerable.Range(0, 1 + trial % 3).Select(_ => RandomUnit(random, 32))];
            float[][] negatives = [.. Enumerable.Range(0, trial % 4).Select(_ => RandomUnit(random, 32))];
            AssertSameAsExact(store, compact, Request(positives, negatives, k: 50 + trial * 20, threads: 1 + trial % 2));
        }
        store.Release();
    }

    [Fact]
    public void Real_photo_embeddings_top_100_equals_the_float32_scan()
    {
        using var folder = new TempFolder("compact-real");
        // Real photos, each as several crops and mirror images: a few hundred real ResNet18 embeddings (non-negative, unlike random vectors).
        var images = new List<string>();
        foreach (var (photo, p) in TestImages.Photos(16).Select((p, i) => (p, i)))
        {
            using var source = new MagickImage(photo);
            source.Resize(320, 320);
            for (var v = 0; v < 16; v++)
            {
                using var image = (MagickImage)source.Clone();
                var w = (uint)(image.Width * (0.4 + 0.035 * v));
                var h = (uint)(image.Height * (0.4 + 0.035 * v));
                image.Crop(new MagickGeometry((int)(image.Width - w) * (v % 5) / 4, (int)(image.Height - h) * (v % 3) / 2, w, h));
                if (v % 2 == 1) image.Flop();
                var path = Path.Combine(folder.Path, $"p{p:D2}v{v}.jpg");
                image.Write(path, MagickFormat.Jpeg);
                images.Add(path);
            }
        }
        using var model = ResNet18Model.Load();
        var vectors = model.EmbedImages(images);
        using var f = new SearchFixture(dim: model.Dimension);
        f.Embed(vectors.Select((v, i) => ($"{i:x40}", v)).ToArray());
        var store = ResidentStore.Load(f.Location);
        using var compact = CompactRows.Build(store);
        for (var q = 0; q < vectors.Length; q += 7)
            AssertSameAsExact(store, compact, Request([vectors[q]]));
        AssertSameAsExact(store, compact, Request([vectors[0], vectors[9]], [vectors[50], vectors[100]]));
        AssertSameAsExact(store, compact, Request([vectors[3]], [vectors[4]], k: 1000));
        store.Release();
    }

    [Fact]
    public void The_int8_bound_holds_for_every_row_and_query()
    {
        var random = new Random(5);
        foreach (var dim in new[] { 7, 32, 512, 768 })
        {
            var x = RandomUnit(random, dim);
            var q = RandomUnit(random, dim);
            if (dim == 7) x[3] = 0; // a zero component
            var stride = (dim + 31) / 32 * 32;
            var codes = new sbyte[stride];
            var (s, codeNorm, residual) = CompactRows.Quantize(x, codes);
            using var query = new CompactRows.Query(q, stride);
            int d;
            unsafe
            {
                fixed (sbyte* a = codes) d = CompactRows.Dot(a, query.Codes, stride);
            }
            var exact = x.Zip(q, (a, b) => (double)a * b).Sum();
            var approx = (double)s * query.T * d;
            var bound = codeNorm * query.SigmaNorm + residual * query.Norm;
            Assert.InRange(exact, approx - bound, approx + bound);
            Assert.True(bound < 0.05, $"bound {bound} at dim {dim} is too loose to shortlist anything");
        }
    }
}
