using MediaTagger.Core.Models;
using MediaTagger.TestSupport;

namespace MediaTagger.Core.Tests.Embeddings;

/// <summary>The generator the embedding benchmark uses for its full-size ViT-B/32 graph, here at a small width and depth.</summary>
public class FullClipTests
{
    [Fact]
    public void The_generated_vit_clip_graph_loads_and_embeds_images_in_batches_and_text()
    {
        using var folder = new TempFolder("fullclip");
        FullClip.Vision(layers: 2, width: 64, heads: 4).Save(Path.Combine(folder.Path, "onnx", "vision_model.onnx"), 17);
        FullClip.Text(layers: 2, width: 32, heads: 4, vocabulary: 1000).Save(Path.Combine(folder.Path, "onnx", "text_model.onnx"), 17);
        TinyClip.WriteHuggingFace(Path.Combine(folder.Path, "tiny"));
        foreach (var f in new[] { "vocab.json", "merges.txt", "preprocessor_config.json" }) File.Copy(Path.Combine(folder.Path, "tiny", f), Path.Combine(folder.Path, f));

        using var model = ClipModel.Load(folder.Path, "vit", "test/vit@1");
        Assert.Equal(FullClip.Projection, model.Dimension);
        var photos = TestImages.Photos(3);
        var batch = model.EmbedImages(photos);
        Assert.Equal(3, batch.Length);
        // One image alone gives the same vector as inside a batch: rows do not leak into each other.
        var single = model.EmbedImages([photos[1]]);
        for (var d = 0; d < FullClip.Projection; d++) Assert.Equal(batch[1][d], single[0][d], 4);
        Assert.NotEqual(batch[0], batch[2]);
        var text = model.EmbedText("red");
        Assert.Equal(FullClip.Projection, text.Length);
        Assert.Equal(1f, MathF.Sqrt(text.Sum(v => v * v)), 4);
    }
}
