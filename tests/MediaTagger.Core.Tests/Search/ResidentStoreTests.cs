using MediaTagger.Core.Common;
using MediaTagger.Core.Library;
using MediaTagger.Core.Search;
using MediaTagger.Core.Store;

namespace MediaTagger.Core.Tests.Search;

public class ResidentStoreTests
{
    [Fact]
    public void Loads_the_same_live_vectors_as_the_store_reader_skipping_superseded_rows()
    {
        using var f = new SearchFixture();
        f.Embed(("a", SearchFixture.Axis(0)), ("b", SearchFixture.Axis(1)), ("c", SearchFixture.Axis(2)));
        f.Embed(("b", SearchFixture.Axis(5))); // re-embedded: row 1 is superseded by row 3
        var store = ResidentStore.Load(f.Location);
        Assert.Equal(["a", "c", "b"], store.Keys);
        Assert.Equal([SearchFixture.Axis(0), SearchFixture.Axis(2), SearchFixture.Axis(5)], Enumerable.Range(0, 3).Select(i => store.Row(i).ToArray()));
        Assert.Null(store.GroupStarts);
        store.Release();
    }

    [Fact]
    public void A_large_store_is_checked_row_by_row_while_its_int8_copy_is_built_and_a_damaged_row_stops_the_load()
    {
        // Large enough for the int8 copy (built in the same pass as the per-row check), small in dimensions to stay cheap.
        using var f = new SearchFixture(dim: 16);
        var random = new Random(5);
        var rows = Enumerable.Range(0, ResidentStore.CompactMinRows + 3000).Select(i => (i.ToString("x40"), Enumerable.Range(0, 16).Select(_ => (float)random.NextDouble() - 0.5f).ToArray())).ToArray();
        f.Embed(rows);
        var store = ResidentStore.Load(f.Location);
        Assert.NotNull(store.Compact);
        var request = new ScanRequest { Positives = [store.CopyRow(rows.Length - 7)], K = 50, MinScore = -1 };
        Assert.Equal(SimilarityScan.ExactTopK(store, request), SimilarityScan.TopK(store, request));
        store.Release();

        // One row near the end (in the last part the load checks) flipped: the whole load fails, naming that row and the repair.
        var damaged = rows.Length - 10;
        var data = StoreSnapshot.Open(f.Location)!.DataPath;
        using (var fs = new FileStream(data, FileMode.Open, FileAccess.ReadWrite))
        {
            fs.Seek((long)damaged * 16 * sizeof(float), SeekOrigin.Begin);
            fs.Write(BitConverter.GetBytes(float.NaN));
        }
        var error = Assert.Throws<MediaTaggerException>(() => ResidentStore.Load(f.Location));
        Assert.Equal(ErrorIds.StoreDamaged, error.ErrorId);
        Assert.Contains(rows[damaged].Item1, error.Message);
        Assert.Contains(f.Location.RepairCommand, error.Message);
    }

    [Fact]
    public void The_slot_reloads_only_when_the_store_files_change_and_a_lease_outlives_a_reload()
    {
        using var f = new SearchFixture();
        f.Embed(("a", SearchFixture.Axis(0)));
        using var slot = new ResidentStoreSlot(f.Location);
        var first = slot.Acquire();
        using (var again = slot.Acquire()) Assert.Same(first.Store, again.Store);
        Assert.Equal(1, slot.LoadCount);

        f.Embed(("b", SearchFixture.Axis(1)));
        using var second = slot.Acquire();
        Assert.Equal(2, slot.LoadCount);
        Assert.Equal(["a", "b"], second.Store.Keys);
        // The old copy is still readable by the query that holds it.
        Assert.Equal(SearchFixture.Axis(0), first.Store.Row(0).ToArray());
        first.Dispose();
    }

    [Fact]
    public void MediaSearch_returns_ranked_matches_of_catalogued_assets_with_anchor_frame_and_margin()
    {
        using var f = new SearchFixture();
        var near = f.AddAsset("a/near.jpg");
        var far = f.AddAsset("a/far.jpg");
        var video = f.AddAsset("v/clip.mp4", MediaType.Video);
        var side = f.AddAsset("a/side.jpg"); // closer to the negative than to the anchor: dropped
        var low = f.AddAsset("a/low.jpg");   // below MinScore
        f.Embed((side.Id, SearchFixture.At(1.0)), (low.Id, SearchFixture.Axis(2)));
        f.Embed((near.Id, SearchFixture.At(0.1)), (far.Id, SearchFixture.At(0.7)), (video.Id, SearchFixture.At(0.9)), (video.Id + "#2", SearchFixture.At(0.3)),
            ("2222222222222222222222222222222222222222", SearchFixture.At(0))); // embedded, then removed from the catalog
        var store = ResidentStore.Load(f.Location);
        var catalog = AssetCatalog.Load(f.Library);
        var matches = MediaSearch.Run(store, catalog, [new("north", SearchFixture.At(0)), new("south", SearchFixture.At(Math.PI))],
            [new("east", SearchFixture.At(Math.PI / 2))], new SearchOptions { K = 10, MinScore = 0.5 }, promptLabels: false, "testmodel");

        Assert.Equal([near.Id, video.Id, far.Id], matches.Select(m => m.Id));
        Assert.Equal([1, 2, 3], matches.Select(m => m.Rank));
        Assert.All(matches, m => Assert.Equal("north", m.BestAnchor));
        Assert.All(matches, m => Assert.Null(m.BestPrompt));
        Assert.Equal(2, matches[1].BestFrame);
        Assert.Null(matches[0].BestFrame);
        Assert.Equal(Math.Cos(0.3), matches[1].Score, 5);
        Assert.Equal(Math.Cos(Math.PI / 2 - 0.3), matches[1].NegativeScore!.Value, 5);
        Assert.Equal(matches[1].Score - matches[1].NegativeScore!.Value, matches[1].Margin!.Value, 6);
        Assert.Equal("a/near.jpg", matches[0].RelativePath);
        Assert.Equal(near.Path, matches[0].Path);

        // The seam for "already tagged / reviewed" filters.
        var filtered = MediaSearch.Run(store, catalog, [new("north", SearchFixture.At(0))], [], new SearchOptions { K = 2, MinScore = -1, Include = a => a.Id != near.Id },
            promptLabels: true, "testmodel");
        Assert.Equal([video.Id, far.Id], filtered.Select(m => m.Id));
        Assert.Equal("north", filtered[0].BestPrompt);
        store.Release();
    }

    [Fact]
    public void OutFile_names_stay_in_the_data_folder_and_never_overwrite_foreign_files()
    {
        using var f = new SearchFixture();
        f.AddAsset("x.jpg");
        Assert.Equal(Path.Combine(f.Library.DataPath, "dogs.json"), QueryFiles.PathFor(f.Library, "dogs"));
        foreach (var bad in new[] { "assets.json", "assets", "../x.json", "sub/x.json", ".hidden.json" })
            Assert.Equal(ErrorIds.SearchOutFileInvalid, Assert.Throws<MediaTaggerException>(() => QueryFiles.PathFor(f.Library, bad)).ErrorId);
        File.WriteAllText(Path.Combine(f.Library.DataPath, "notes.json"), "{\"mine\":1}");
        Assert.Throws<MediaTaggerException>(() => QueryFiles.PathFor(f.Library, "notes.json"));

        var record = new QueryRecord { Kind = "text", Text = ["a dog"], Results = [new QueryResultItem { Id = "x", Score = 0.5, Rank = 1 }] };
        var named = QueryFiles.PathFor(f.Library, "dogs.json");
        QueryFiles.Write(f.Library, record, named);
        Assert.Equal("text", Json.Read<QueryRecord>(f.Library.LastQueryFile)!.Kind);
        Assert.Equal(QueryFiles.PathFor(f.Library, "dogs.json"), named); // a saved query may be replaced
    }

    [Fact]
    public void Finds_the_groups_of_asset_ids_through_its_id_index_as_a_pass_over_the_keys_would()
    {
        using var f = new SearchFixture();
        var ids = Enumerable.Range(0, 20).Select(i => AssetId.For($"p{i}.jpg")).ToArray();
        f.Embed(ids.Select((id, i) => (id, SearchFixture.At(i * 0.1))).ToArray());
        f.Embed((ids[3] + "#2", SearchFixture.Axis(4)));
        var store = ResidentStore.Load(f.Location);
        var few = store.FindGroups([ids[3].ToUpperInvariant(), ids[7], "ffffffffffffffffffffffffffffffffffffffff"]);
        Assert.Equal(2, few.Count);
        var (first, end) = store.RowsOf(few[ids[3]]);
        Assert.Equal(2, end - first);
        Assert.Equal(2, store.FrameOf(first + 1));
        Assert.Equal(ids[7], store.AssetIdOf(few[ids[7]]));
        var many = store.FindGroups(ids);
        Assert.Equal(20, many.Count);
        Assert.All(ids, id => Assert.Equal(id, store.AssetIdOf(many[id])));
        store.Release();

        // Thousands of assets, some with frames, keys of any length: every id finds its own group, a missing one none.
        using var big = new SearchFixture(dim: 4);
        var keys = Enumerable.Range(0, 5000).Select(i => i % 3 == 0 ? AssetId.For($"v{i}.mp4") : $"k{i}").ToArray();
        big.Embed(keys.Select((k, i) => (k, SearchFixture.At(i * 1e-3, 4))).ToArray());
        big.Embed(keys.Where((_, i) => i % 7 == 0).Select(k => (k + "#2", SearchFixture.Axis(1, 4))).ToArray());
        var large = ResidentStore.Load(big.Location);
        var all = large.FindGroups([.. keys, "k5000", "missing"]);
        Assert.Equal(keys.Length, all.Count);
        var byPass = Enumerable.Range(0, large.GroupCount).ToDictionary(large.AssetIdOf, g => g);
        Assert.All(keys, k => Assert.Equal(byPass[k], all[k]));
        large.Release();
    }

    [Fact]
    public void A_cancelled_scan_stops_with_OperationCanceledException()
    {
        using var f = new SearchFixture();
        f.Embed(Enumerable.Range(0, 70_000).Select(i => ($"r{i}", SearchFixture.At(i * 1e-4))).ToArray());
        var store = ResidentStore.Load(f.Location);
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => SimilarityScan.TopK(store, new ScanRequest { Positives = [SearchFixture.At(0)], MaxThreads = 2 }, cts.Token));
        Assert.ThrowsAny<OperationCanceledException>(() => SimilarityScan.TopK(store, new ScanRequest { Positives = [SearchFixture.At(0)], MaxThreads = 1 }, cts.Token));
        store.Release();
    }

    [Fact]
    public void Concurrent_queries_during_reloads_always_see_a_whole_store()
    {
        using var f = new SearchFixture();
        f.Embed(Enumerable.Range(0, 500).Select(i => ($"k{i}", SearchFixture.At(i * 1e-3))).ToArray());
        using var slot = new ResidentStoreSlot(f.Location);
        using var stop = new CancellationTokenSource();
        var readers = Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            var queries = 0;
            while (!stop.IsCancellationRequested || queries == 0)
            {
                using var lease = slot.Acquire();
                var hits = SimilarityScan.TopK(lease.Store, new ScanRequest { Positives = [SearchFixture.At(0)], K = 3, MinScore = -1 });
                // Whatever the version, k0 (angle 0) is the best match and the rows read are those of the lease's store.
                Assert.Equal("k0", lease.Store.Keys[hits[0].Row]);
                Assert.Equal(1f, hits[0].Score, 4);
                queries++;
            }
            return queries;
        })).ToArray();
        for (var batch = 0; batch < 10; batch++) f.Embed(($"n{batch}", SearchFixture.At(1 + batch * 0.01)));
        stop.Cancel();
        Assert.All(readers, r => Assert.True(r.GetAwaiter().GetResult() > 0));
        using var last = slot.Acquire();
        Assert.Equal(510, last.Store.RowCount);
    }
}
