using MediaTagger.Core.Common;
using MediaTagger.Core.Models;
using MediaTagger.Core.Search;
using MediaTagger.Core.Store;

namespace MediaTagger.Core.Tests.Search;

/// <summary>A CLIP store made with 0.1's preprocessing is refused, with a message that says why and how to recompute it.</summary>
public class ClipStoreRevisionTests
{
    [Fact]
    public void A_store_from_the_earlier_CLIP_preprocessing_is_refused_by_indexing_and_search_with_the_recompute_command()
    {
        // The fixture's store stands for one written by 0.1: the weights' id without the preprocessing revision.
        using var f = new SearchFixture();
        f.Embed(("a", SearchFixture.Axis(0)), ("b", SearchFixture.Axis(1)));
        var now = SearchFixture.ModelId + ClipModel.PreprocessingRevision;
        var indexing = Assert.Throws<MediaTaggerException>(() => EmbeddingStore.OpenOrCreate(f.Library, SearchFixture.ModelName, now, f.Dim, "pillow"));
        var search = Assert.Throws<MediaTaggerException>(() => ResidentStore.Load(f.Location, now, f.Dim));
        foreach (var ex in new[] { indexing, search })
        {
            Assert.Equal(ErrorIds.StoreModelMismatch, ex.ErrorId);
            Assert.Contains("earlier MediaTagger", ex.Message);
            Assert.Contains("-Force", ex.Message);
        }
        // Any other id is still the plain "other model" message.
        var other = Assert.Throws<MediaTaggerException>(() => ResidentStore.Load(f.Location, "someone-else@1", f.Dim));
        Assert.DoesNotContain("earlier MediaTagger", other.Message);
    }
}
