using MediaTagger.Core.Common;
using MediaTagger.Core.Library;
using MediaTagger.Core.Reps;
using MediaTagger.Core.Review;
using MediaTagger.Core.Search;

namespace MediaTagger.Core.Tests.Review;

public class ReviewInputTests
{
    [Fact]
    public void The_last_query_becomes_matches_with_their_catalog_state_in_rank_order()
    {
        using var t = new TempFolder();
        var lib = MediaLibrary.Open(t.Path);
        var file = t.File("a.jpg");
        var asset = MediaAsset.Create(lib, file, MediaType.Image, 1, DateTime.UtcNow);
        AssetCatalog.Update(lib, c => { c.Set(asset); return true; });
        RepIndex.Record(lib, [(asset.Id, new RepInfo { Frames = 1 })]);
        Json.Write(lib.LastQueryFile, new QueryRecord
        {
            Model = "m",
            MinScore = 0.4,
            Results =
            [
                new QueryResultItem { Id = AssetId.For("gone.jpg"), RelativePath = "gone.jpg", Type = "video", Score = 0.5, Rank = 2 },
                new QueryResultItem { Id = asset.Id, RelativePath = "a.jpg", Type = "image", Score = 0.9, Rank = 1 },
            ],
        });

        var (query, matches) = ReviewInput.LoadLastQuery(lib);

        Assert.Equal(0.4, query.MinScore);
        Assert.Equal(["a.jpg", "gone.jpg"], matches.Select(m => m.RelativePath));
        Assert.Equal(Path.Combine(lib.RepsPath, asset.Id + ".jpg"), RepIndex.FramePathsOf(matches[0]).Single());
        Assert.Equal(0.9, matches[0].Score);
        Assert.Equal("m", matches[0].Model);
        // No longer in the catalog: still reviewable by name, without a rep.
        Assert.Empty(RepIndex.FramePathsOf(matches[1]));
        Assert.Equal(MediaType.Video, matches[1].Type);
        Assert.Equal(Path.Combine(lib.Root, "gone.jpg"), matches[1].Path);
        Assert.Same(query, ReviewInput.QueryOf(matches) is { } q ? query : null);
        // MinScore (0.4) decides what is shown, never what starts ticked: that needs an explicit preselect.
        var none = new ReviewSession(matches, query, null, null, null);
        Assert.DoesNotContain(none.Items, none.IsPreselected);
        var preselected = new ReviewSession(matches, query, null, 0.8, "-Preselect");
        Assert.Equal([true, false], preselected.Items.Select(preselected.IsPreselected));
    }

    [Fact]
    public void A_missing_or_corrupt_last_query_is_reported_with_its_error_id()
    {
        using var t = new TempFolder();
        var lib = MediaLibrary.Open(t.Path);
        Assert.Equal(ErrorIds.ReviewQueryMissing, Assert.Throws<MediaTaggerException>(() => ReviewInput.LoadLastQuery(lib)).ErrorId);
        t.File(".mediatagger/data/last_query.json", "{ broken");
        Assert.Equal(ErrorIds.ReviewQueryUnreadable, Assert.Throws<MediaTaggerException>(() => ReviewInput.LoadLastQuery(lib)).ErrorId);
    }

    [Fact]
    public void Plain_assets_have_no_query_and_start_unticked_whatever_the_preselect()
    {
        var assets = new List<MediaAsset> { new() { Id = "a", LibraryRoot = "/x", StorePath = "/x/.mediatagger" } };
        Assert.Null(ReviewInput.QueryOf(assets));
        var session = new ReviewSession(assets, null, null, 0.5, "-Preselect");
        Assert.False(session.IsPreselected(session.Items[0]));
        Assert.Equal("Review 1 item", ReviewInput.TitleFor(null, 1));
        Assert.Equal("\u201ca dog\u201d or \u201ca puppy\u201d", ReviewInput.TitleFor(new QueryRecord { Kind = "text", Text = ["a dog", "a puppy"] }, 3));
    }
}
