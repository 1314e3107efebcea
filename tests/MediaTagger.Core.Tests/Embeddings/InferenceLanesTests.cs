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
        using var lanes = ResNet18Model.Load(settings: new InferenceSettings(1, 1, 2));
        using var single = ResNet18Model.Load(settings: new InferenceSettings(1, Environment.ProcessorCount, 1)); // one call at a time
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
        var settings = new InferenceSettings(Batch: 4, IntraOpThreads: 1, Lanes: 2);
        using var model = ClipModel.Load(folder.Path, "vit", "test/vit@1", settings);
        // More images than one chunk, and a last chunk that is not full.
        var photos = TestImages.Photos(5);
        var paths = Enumerable.Range(0, 2 * settings.Batch + 3).Select(i => photos[i % photos.Count]).ToList();
        var all = model.EmbedImages(paths);
        for (var i = 0; i < paths.Count; i++)
        {
            var alone = model.EmbedImages([paths[i]])[0];
            for (var d = 0; d < alone.Length; d++) Assert.Equal(alone[d], all[i][d], 4);
        }
    }
}

/// <summary>MEDIATAGGER_INFERENCE sets how models run; a bad value is one clear error, never a silent default.</summary>
public class InferenceSettingsTests
{
    [Fact]
    public void The_variable_overrides_only_the_keys_it_names()
    {
        var defaults = InferenceSettings.Batched;
        Assert.Equal(defaults, InferenceSettings.Parse(null, defaults));
        Assert.Equal(defaults, InferenceSettings.Parse(" ", defaults));
        Assert.Equal(defaults with { Batch = 32, Lanes = 2, IntraOpThreads = 1, Spinning = true },
            InferenceSettings.Parse("batch=32, threads=1;Lanes=2,spin=1", defaults));
        Assert.Equal(new InferenceSettings(1, 1, 3), InferenceSettings.Parse("lanes=3", new InferenceSettings(1, 1, 2)));
    }

    [Theory]
    [InlineData("batch")]
    [InlineData("batch=0")]
    [InlineData("threads=two")]
    [InlineData("spin=2")]
    [InlineData("cores=2")]
    [InlineData("batch=-1")]
    public void A_bad_value_is_a_clear_error_naming_the_variable(string text)
    {
        var ex = Assert.Throws<MediaTagger.Core.Common.MediaTaggerException>(() => InferenceSettings.Parse(text, InferenceSettings.SingleImage));
        Assert.Equal(MediaTagger.Core.Common.ErrorIds.InferenceSettingsInvalid, ex.ErrorId);
        Assert.Contains(InferenceSettings.EnvironmentVariable, ex.Message);
    }

    [Fact]
    public void A_model_opened_with_settings_runs_with_them()
    {
        using var model = ResNet18Model.Load(settings: new InferenceSettings(8, 2, 1, Spinning: true));
        // The graph takes one image per call, whatever batch was asked for.
        Assert.Equal(new InferenceSettings(1, 2, 1, true), model.Settings);
    }
}
