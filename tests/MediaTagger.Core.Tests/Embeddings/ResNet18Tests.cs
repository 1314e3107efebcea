using MediaTagger.Core.Common;
using MediaTagger.Core.Models;

namespace MediaTagger.Core.Tests.Embeddings;

public class ResNet18Tests
{
    [Fact]
    public void The_embedded_default_scores_a_photo_and_its_resized_copy_far_above_two_different_photos()
    {
        using var tmp = new TempFolder("resnet");
        var photos = TestImages.Photos(3);
        var resized = TestImages.Resized(photos[0], tmp.Path, 400);
        using var model = new ModelRegistry(Path.Combine(tmp.Path, "none")).Open(ResNet18Model.EmbeddedName);
        Assert.Equal(512, model.Dimension);
        Assert.False(model.SupportsText);
        var v = model.EmbedImages([photos[0], resized, photos[1], photos[2]]);
        var same = VectorMath.Cosine(v[0], v[1]);
        var different = Math.Max(VectorMath.Cosine(v[0], v[2]), VectorMath.Cosine(v[1], v[2]));
        Assert.True(same > 0.9f, $"photo vs its resized copy: {same}");
        Assert.True(same - different > 0.2f, $"same {same} vs different {different}");
        var ex = Assert.Throws<MediaTaggerException>(() => model.EmbedText("a dog"));
        Assert.Equal(ErrorIds.ModelHasNoTextTower, ex.ErrorId);
        Assert.Contains("Install-MediaTaggerModel", ex.Message);
    }
}
