using ImageMagick;
using MediaTagger.Core.Models;
using MediaTagger.TestSupport;

namespace MediaTagger.Core.Tests.Embeddings;

public class PreprocessorConfigTests
{
    [Fact]
    public void Legacy_nested_and_OpenCLIP_forms_all_read_as_CLIPs_preprocessing()
    {
        using var tmp = new TempFolder("prep");
        var legacy = PreprocessorConfig.Load(Path.Combine(TinyClip.WriteHuggingFace(Path.Combine(tmp.Path, "a")), "preprocessor_config.json"));
        var nested = PreprocessorConfig.Load(Path.Combine(TinyClip.WriteHuggingFace(Path.Combine(tmp.Path, "b"), nestedConfig: true), "preprocessor_config.json"));
        var immich = PreprocessorConfig.Load(Path.Combine(TinyClip.WriteImmich(Path.Combine(tmp.Path, "c")), "visual", "preprocess_cfg.json"));
        foreach (var p in new[] { legacy, nested, immich })
        {
            Assert.Equal((224, 224, 224), (p.Width, p.Height, p.ResizeTo));
            Assert.Equal(ResizeRule.ShortestEdge, p.Resize);
            Assert.Equal(PillowFilter.Bicubic, p.Filter);
            Assert.Equal(1f / 255f, p.Scale, 6);
            Assert.Equal(ImagePreprocessing.ClipMean, p.Mean);
            Assert.Equal(ImagePreprocessing.ClipStd, p.Std);
        }
        Assert.Equal(legacy.Describe(), nested.Describe());
    }

    [Fact]
    public void Other_sizes_resampling_and_squash_are_read_not_assumed()
    {
        using var tmp = new TempFolder("prep2");
        var hf = tmp.File("preprocessor_config.json", "{\"crop_size\": {\"height\": 336, \"width\": 336}, \"size\": {\"shortest_edge\": 336}, \"resample\": 2, \"image_mean\": [0.5, 0.5, 0.5], \"image_std\": [0.5, 0.5, 0.5], \"rescale_factor\": 0.5}");
        var p = PreprocessorConfig.Load(hf);
        Assert.Equal((336, 336), (p.Width, p.Height));
        Assert.Equal(PillowFilter.Bilinear, p.Filter);
        Assert.Equal(0.5f, p.Scale);
        Assert.Equal([0.5f, 0.5f, 0.5f], p.Mean);
        var oc = PreprocessorConfig.Load(tmp.File("preprocess_cfg.json", "{\"size\": 256, \"mean\": [0, 0, 0], \"std\": [1, 1, 1], \"interpolation\": \"bilinear\", \"resize_mode\": \"squash\"}"));
        Assert.Equal((256, 256, ResizeRule.Squash, PillowFilter.Bilinear), (oc.Width, oc.Height, oc.Resize, oc.Filter));
    }

    [Fact]
    public void Fill_makes_planar_normalised_RGB_of_the_centre_crop()
    {
        using var tmp = new TempFolder("fill");
        // Left third red, rest blue, 600x200: the centre crop of the 224-high resize is pure blue.
        var path = Path.Combine(tmp.Path, "split.png");
        using (var image = new MagickImage(MagickColors.Blue, 600, 200))
        {
            image.Draw(new ImageMagick.Drawing.Drawables().FillColor(MagickColors.Red).Rectangle(0, 0, 199, 199));
            image.Write(path);
        }
        var p = ImagePreprocessing.Clip();
        var slot = new float[3 * 224 * 224];
        p.Fill(path, slot);
        var plane = 224 * 224;
        var centre = 112 * 224 + 112;
        Assert.Equal((0f - p.Mean[0]) / p.Std[0], slot[centre], 2);
        Assert.Equal((0f - p.Mean[1]) / p.Std[1], slot[plane + centre], 2);
        Assert.Equal((1f - p.Mean[2]) / p.Std[2], slot[2 * plane + centre], 2);
    }

    [Fact]
    public void A_file_that_is_not_an_image_is_a_stable_error()
    {
        using var tmp = new TempFolder("bad");
        var bad = tmp.File("broken.jpg", "this is not a jpeg");
        var ex = Assert.Throws<Common.MediaTaggerException>(() => ImagePreprocessing.Clip().Fill(bad, new float[3 * 224 * 224]));
        Assert.Equal(Common.ErrorIds.EmbeddingRepUnreadable, ex.ErrorId);
    }
}
