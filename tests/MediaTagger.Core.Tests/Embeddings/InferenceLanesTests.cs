using MediaTagger.Core.Models;
using MediaTagger.TestSupport;

namespace MediaTagger.Core.Tests.Embeddings;

/// <summary>Inference runs one call per core at once: the vectors must be exactly those of one call at a time.</summary>
public class InferenceLanesTests
{
    [Fact]
    public void ResNet18_on_parallel_lanes_gives_the_vectors_of_a_single_lane()
    {
        var photos = TestImages.Photos(6);
        using var lanes = ResNet18Model.Load();
        using var single = ResNet18Model.Load(intraOpThreads: Environment.ProcessorCount); // one call at a time
        var parallel = lanes.EmbedImages(photos);
        var sequential = single.EmbedImages(photos);
        for (var i = 0; i < photos.Count; i++)
            for (var d = 0; d < lanes.Dimension; d++) Assert.Equal(sequential[i][d], parallel[i][d], 4);
        Assert.NotEqual(parallel[0], parallel[1]);
    }

    [Fact]
    public void A_clip_batch_split_into_chunks_on_parallel_lanes_keeps_every_image_in_its_place()
    {
        using var folder = new TempFolder("lanes");
        FullClip.Vision(layers: 1, width: 32, heads: 2).Save(Path.Combine(folder.Path, "onnx", "vision_model.onnx"), 17);
        TinyClip.WriteHuggingFace(Path.Combine(folder.Path, "tiny"), withText: false);
        File.Copy(Path.Combine(folder.Path, "tiny", "preprocessor_config.json"), Path.Combine(folder.Path, "preprocessor_config.json"));
        using var model = ClipModel.Load(folder.Path, "vit", "test/vit@1");
        // More images than one chunk (OnnxTower.PreferredBatch), and a last chunk that is not full.
        var photos = TestImages.Photos(5);
        var paths = Enumerable.Range(0, 2 * OnnxTower.PreferredBatch + 3).Select(i => photos[i % photos.Count]).ToList();
        var all = model.EmbedImages(paths);
        for (var i = 0; i < paths.Count; i++)
        {
            var alone = model.EmbedImages([paths[i]])[0];
            for (var d = 0; d < alone.Length; d++) Assert.Equal(alone[d], all[i][d], 4);
        }
    }
}
