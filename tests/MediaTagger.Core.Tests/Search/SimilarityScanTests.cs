using MediaTagger.Core.Search;

namespace MediaTagger.Core.Tests.Search;

public class SimilarityScanTests
{
    static ScanHit[] Scan(ResidentStore store, float[][] positives, float[][]? negatives = null, int k = 100, float minScore = -1, int? threads = null, Func<int, bool>? include = null) =>
        SimilarityScan.TopK(store, new ScanRequest { Positives = positives, Negatives = negatives ?? [], K = k, MinScore = minScore, MaxThreads = threads, Include = include });

    [Fact]
    public void Score_is_the_maximum_over_positives_not_the_mean()
    {
        using var f = new SearchFixture();
        f.Embed(("a", SearchFixture.Axis(0)), ("b", SearchFixture.Axis(1)), ("c", SearchFixture.Normalize([1, 1, 0, 0, 0, 0, 0, 0])), ("d", SearchFixture.Axis(2)));
        var store = ResidentStore.Load(f.Location);
        var hits = Scan(store, [SearchFixture.Axis(0), SearchFixture.Axis(1)]);
        // a and b match one anchor exactly (1.0); c sits between them (0.707 each): a mean would rank c first.
        Assert.Equal(["a", "b", "c", "d"], hits.Select(h => store.Keys[h.Row]));
        Assert.Equal(1f, hits[0].Score, 5);
        Assert.Equal(1f, hits[1].Score, 5);
        Assert.Equal(MathF.Sqrt(0.5f), hits[2].Score, 5);
        Assert.Equal(0f, hits[3].Score, 5);
        store.Release();
    }

    [Fact]
    public void An_item_closer_to_its_best_negative_than_to_its_best_positive_is_dropped()
    {
        using var f = new SearchFixture();
        // Positive along 0 rad, negative along 90°: items at 30° (closer to positive), 45° (tie), 60° (closer to negative).
        f.Embed(("p30", SearchFixture.At(Math.PI / 6)), ("tie45", SearchFixture.At(Math.PI / 4)), ("n60", SearchFixture.At(Math.PI / 3)));
        var store = ResidentStore.Load(f.Location);
        var without = Scan(store, [SearchFixture.At(0)]);
        Assert.Equal(3, without.Length);
        var with = Scan(store, [SearchFixture.At(0)], [SearchFixture.At(Math.PI / 2)]);
        Assert.Equal(["p30", "tie45"], with.Select(h => store.Keys[h.Row]));
        store.Release();
    }

    [Fact]
    public void K_and_MinScore_bound_the_result_which_is_sorted_best_first()
    {
        using var f = new SearchFixture();
        f.Embed(Enumerable.Range(0, 20).Select(i => ($"k{i}", SearchFixture.At(i * Math.PI / 40))).ToArray());
        var store = ResidentStore.Load(f.Location);
        var top5 = Scan(store, [SearchFixture.At(0)], k: 5);
        Assert.Equal(["k0", "k1", "k2", "k3", "k4"], top5.Select(h => store.Keys[h.Row]));
        Assert.True(top5.Zip(top5.Skip(1)).All(p => p.First.Score >= p.Second.Score));
        var above = Scan(store, [SearchFixture.At(0)], minScore: (float)Math.Cos(Math.PI / 4) - 1e-4f);
        Assert.Equal(11, above.Length); // angles 0..45° inclusive
        Assert.All(above, h => Assert.True(h.Score >= Math.Cos(Math.PI / 4) - 1e-4));
        store.Release();
    }

    [Fact]
    public void A_video_scores_as_its_best_frame_appears_once_and_negatives_apply_frame_by_frame()
    {
        using var f = new SearchFixture();
        const string video = "1111111111111111111111111111111111111111";
        float[] frame1 = [0.2f, 0, 0, 0, 1, 0, 0, 0], frame2 = [1, 0, 0, 1.1f, 0, 0, 0, 0], frame3 = [1, 0, 0, 0, 1.2f, 0, 0, 0];
        // Frames are stored apart (as a later re-embedding of one frame would leave them); the loader groups them.
        f.Embed((video, frame1), ("photo", SearchFixture.At(0.5)), (video + "#2", frame2), (video + "#3", frame3));
        var store = ResidentStore.Load(f.Location);
        Assert.Equal(2, store.GroupCount);
        var hits = Scan(store, [SearchFixture.Axis(0)]);
        Assert.Equal(["photo", video + "#2"], hits.Select(h => store.Keys[h.Row]));
        Assert.Equal(2, store.FrameOf(hits[1].Row));
        Assert.Equal(video, store.AssetIdOf(hits[1].Group));
        Assert.Equal(1 / MathF.Sqrt(1 + 1.1f * 1.1f), hits[1].Score, 5);

        // Frame 2 is closer to the negative (axis 3) than to the anchor: the video now scores as frame 3.
        var negative = Scan(store, [SearchFixture.Axis(0)], [SearchFixture.Axis(3)]);
        var v = negative.Single(h => store.AssetIdOf(h.Group) == video);
        Assert.Equal(3, store.FrameOf(v.Row));
        Assert.Equal(1 / MathF.Sqrt(1 + 1.2f * 1.2f), v.Score, 5);

        // A negative every frame is closer to drops the video.
        var all = Scan(store, [SearchFixture.Axis(0)], [SearchFixture.Axis(3), SearchFixture.Axis(4)]);
        Assert.DoesNotContain(all, h => store.AssetIdOf(h.Group) == video);
        store.Release();
    }

    [Fact]
    public void Multi_threaded_scan_returns_exactly_the_single_threaded_result()
    {
        using var f = new SearchFixture(dim: 64);
        var random = new Random(7);
        var rows = Enumerable.Range(0, 70_000).Select(i => ($"r{i}", Enumerable.Range(0, 64).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray())).ToArray();
        f.Embed(rows);
        var store = ResidentStore.Load(f.Location);
        float[][] anchors = [SearchFixture.Normalize(rows[10].Item2), SearchFixture.Normalize(rows[20_000].Item2)];
        var one = Scan(store, anchors, k: 300, threads: 1);
        var many = Scan(store, anchors, k: 300, threads: 4);
        Assert.Equal(one, many);
        Assert.Equal(300, one.Length);
        Assert.Contains(one.Take(2), h => store.Keys[h.Row] == "r10");

        // The scalar definition agrees with the SIMD scan.
        var scalar = Enumerable.Range(0, store.RowCount)
            .Select(r => (Row: r, Score: anchors.Max(a => { var v = store.Row(r); float s = 0; for (var d = 0; d < 64; d++) s += v[d] * a[d]; return s; })))
            .OrderByDescending(x => x.Score).ThenBy(x => x.Row).Take(300).ToArray();
        Assert.Equal(scalar.Select(s => s.Row), one.Select(h => h.Row));
        store.Release();
    }

    [Fact]
    public void The_include_filter_drops_groups_and_the_next_best_fill_the_top_K()
    {
        using var f = new SearchFixture();
        f.Embed(Enumerable.Range(0, 10).Select(i => ($"k{i}", SearchFixture.At(i * 0.1))).ToArray());
        var store = ResidentStore.Load(f.Location);
        var hits = Scan(store, [SearchFixture.At(0)], k: 3, include: g => store.Keys[g] != "k0" && store.Keys[g] != "k2");
        Assert.Equal(["k1", "k3", "k4"], hits.Select(h => store.Keys[h.Row]));
        store.Release();
    }
}
