using MediaTagger.Core.Common;
using MediaTagger.Core.Library;
using MediaTagger.Core.Models;
using MediaTagger.Core.Reps;

namespace MediaTagger.Core.Search;

/// <summary>
/// Embeds an anchor that has no vector in the store. The file is first rendered exactly as New-MediaRep renders
/// library files (RAW, HEIC and videos included), into a temporary folder removed afterwards, so its vector is
/// comparable with the stored ones; nothing is added to the library's catalog or store.
/// </summary>
public static class AnchorEmbedder
{
    /// <exception cref="MediaTaggerException">The file cannot be rendered or decoded.</exception>
    public static float[][] Embed(IEmbeddingModel model, string path, CancellationToken cancellationToken)
    {
        var temp = Path.Combine(Path.GetTempPath(), "mediatagger-anchor-" + Guid.NewGuid().ToString("N")[..12]);
        try
        {
            var asset = new MediaAsset
            {
                Id = AssetId.For(Path.GetFileName(path)),
                Path = path,
                Type = MediaExtensions.TypeOf(Path.GetFileName(path)) ?? MediaType.Image,
                StorePath = temp,
            };
            var rep = new RepRenderer().Render(asset, cancellationToken);
            if (rep.Failed) throw new MediaTaggerException(rep.ErrorId!, rep.Error ?? $"'{path}' cannot be rendered.", ErrorKind.InvalidData, path);
            return model.EmbedImages(rep.FramePaths(asset), cancellationToken);
        }
        finally
        {
            try { if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true); }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
    }
}
