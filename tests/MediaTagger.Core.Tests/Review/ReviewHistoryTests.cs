using MediaTagger.Core.Common;
using MediaTagger.Core.Library;
using MediaTagger.Core.Review;
using MediaTagger.Core.Search;

namespace MediaTagger.Core.Tests.Review;

public class ReviewHistoryTests
{
    static ReviewRecord Record(DateTime when, string? label, QueryRecord? query, params (string Id, bool Approved)[] decisions) => new()
    {
        CreatedUtc = when,
        Label = label,
        Query = query,
        QueryKey = query is null ? null : ReviewQueryKey.For(query),
        Decisions = decisions.Select(d => new ReviewDecision { Id = d.Id, RelativePath = d.Id + ".jpg", Approved = d.Approved }).ToList(),
    };

    [Fact]
    public void The_latest_decision_wins_within_a_label_or_a_question()
    {
        using var t = new TempFolder();
        var lib = MediaLibrary.Open(t.Path);
        var teddy = new QueryRecord { Kind = "similar", Anchors = ["/a/teddy1.jpg", "/a/teddy2.jpg"], MinScore = 0.3 };
        var teddyAgain = new QueryRecord { Kind = "similar", Anchors = ["/a/teddy2.jpg", "/a/teddy1.jpg"], MinScore = 0.5, Model = "other" };
        var dog = new QueryRecord { Kind = "text", Text = ["a photo of a dog"] };
        var t0 = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        ReviewHistory.Save(lib, Record(t0, "Teddy", teddy, ("a", false), ("b", false), ("c", true)));
        ReviewHistory.Save(lib, Record(t0.AddDays(1), "teddy", teddyAgain, ("b", true)));
        ReviewHistory.Save(lib, Record(t0.AddDays(2), "Rex", dog, ("a", true), ("d", false)));

        Assert.Equal(["a"], ReviewHistory.RejectedIds(lib, label: "TEDDY"));
        Assert.Equal(["a"], ReviewHistory.RejectedIds(lib, query: teddyAgain));
        Assert.Equal(["d"], ReviewHistory.RejectedIds(lib, query: new QueryRecord { Kind = "text", Text = ["  A photo of a DOG "] }));
        Assert.Equal(["d"], ReviewHistory.RejectedIds(lib));
        Assert.Empty(ReviewHistory.RejectedIds(lib, label: "Nobody"));
        Assert.Equal(new Dictionary<string, bool> { ["a"] = false, ["b"] = true, ["c"] = true }, ReviewHistory.LatestDecisions(lib, label: "Teddy"));
    }

    [Fact]
    public void Two_reviews_in_the_same_millisecond_get_two_files_and_an_unreadable_one_is_reported_and_skipped()
    {
        using var t = new TempFolder();
        var lib = MediaLibrary.Open(t.Path);
        var when = new DateTime(2026, 3, 4, 5, 6, 7, 890, DateTimeKind.Utc);
        var first = ReviewHistory.Save(lib, Record(when, "x", null, ("a", false)));
        var second = ReviewHistory.Save(lib, Record(when, "x", null, ("b", false)));
        Assert.Equal("20260304T050607890Z.json", Path.GetFileName(first));
        Assert.Equal("20260304T050607890Z-2.json", Path.GetFileName(second));
        File.WriteAllText(Path.Combine(lib.ReviewsPath, "20260101T000000000Z.json"), "{ not json");

        var errors = new List<ItemError>();
        Assert.Equal(["a", "b"], ReviewHistory.RejectedIds(lib, onError: errors.Add).Order());
        Assert.Equal(ErrorIds.ReviewFileUnreadable, Assert.Single(errors).ErrorId);
        Assert.Empty(Directory.GetFiles(lib.ReviewsPath, "*.tmp"));
    }

    [Fact]
    public void A_library_never_reviewed_has_no_decisions()
    {
        using var t = new TempFolder();
        Assert.Empty(ReviewHistory.Load(MediaLibrary.Open(t.Path)));
    }

    [Fact]
    public void The_query_key_ignores_order_case_and_tuning_but_not_the_question()
    {
        var a = new QueryRecord { Kind = "text", Text = ["a dog", "A cat"], MinScore = 0.2, K = 10, Model = "m1" };
        var b = new QueryRecord { Kind = "text", Text = ["a cat ", "a DOG"], MinScore = 0.3, K = 99, Model = "m2", NegativeText = ["a toy"] };
        Assert.Equal(ReviewQueryKey.For(a), ReviewQueryKey.For(b));
        Assert.NotEqual(ReviewQueryKey.For(a), ReviewQueryKey.For(new QueryRecord { Kind = "text", Text = ["a dog"] }));
        Assert.NotEqual(ReviewQueryKey.For(new QueryRecord { Kind = "similar", Anchors = ["x"] }), ReviewQueryKey.For(new QueryRecord { Kind = "text", Text = ["x"] }));
    }
}
