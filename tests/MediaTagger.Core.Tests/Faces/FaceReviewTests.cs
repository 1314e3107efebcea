using System.Text.Json;
using MediaTagger.Core.Faces;
using MediaTagger.Core.Library;
using MediaTagger.Core.Review;

namespace MediaTagger.Core.Tests.Faces;

public class FaceReviewTests
{
    [Fact]
    public async Task The_review_page_gets_the_face_of_a_face_match_to_show_and_the_decision_keeps_the_face()
    {
        var asset = new MediaAsset { Id = "a1", Path = "/nowhere/a.jpg", RelativePath = "a.jpg" };
        var face = new MediaFace(asset, 0, new StoredFace(0.3f, 0.1f, 0.2f, 0.3f, 0.9f, new float[12], null), null);
        var match = new FaceMatch(face, 0.91, 1, "anchor.jpg");
        using var server = ReviewServer.Start(ReviewItem.From([match]), new ReviewOptions());
        using var http = new HttpClient();
        using var doc = JsonDocument.Parse(await http.GetStringAsync(new Uri(server.Url, "items")));
        var box = doc.RootElement.GetProperty("items")[0].GetProperty("face").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Assert.Equal([0.3, 0.1, 0.2, 0.3], box.Select(v => Math.Round(v, 4)));

        var reviewed = (ReviewedMatch)ReviewedAsset.Of(match, approved: true);
        Assert.Equal(face.FaceId, Assert.IsType<FaceMatch>(reviewed.Match).FaceId);
    }
}
