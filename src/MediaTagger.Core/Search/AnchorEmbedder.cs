using ImageMagick;
using MediaTagger.Core.Common;
using MediaTagger.Core.Library;
using MediaTagger.Core.Models;
using MediaTagger.Core.Reps;

namespace MediaTagger.Core.Search;

/// <summary>An anchor's vector for one view of one of its frames.</summary>
public sealed record AnchorVector(AnchorView View, float[] Vector);

/// <summary>
/// Embeds anchors and their views. A file that has no vector in the store is first rendered exactly as New-MediaRep
/// renders library files (RAW, HEIC and videos included), so its vector is comparable with the stored ones. Views
/// (mirror, rotations) are made from the rendered frames, losslessly. Everything is written to a temporary folder
/// removed afterwards; nothing is added to the library's catalog or store.
/// </summary>
public static class AnchorEmbedder
{
    /// <summary>Renders <paramref name="path"/> and embeds the <paramref name="views"/> of each of its frames.</summary>
    /// <exception cref="MediaTaggerException">The file cannot be rendered or decoded.</exception>
    public static List<AnchorVector> Embed(IEmbeddingModel model, string path, IReadOnlyList<AnchorView> views, CancellationToken cancellationToken)
    {
        using var temp = new TempDirectory();
        var asset = new MediaAsset
        {
            Id = AssetId.For(Path.GetFileName(path)),
            Path = path,
            Type = MediaExtensions.TypeOf(Path.GetFileName(path)) ?? MediaType.Image,
            StorePath = temp.Path,
        };
        var rep = new RepRenderer().Render(asset, cancellationToken);
        if (rep.Failed) throw new MediaTaggerException(rep.ErrorId!, rep.Error ?? $"'{path}' cannot be rendered.", ErrorKind.InvalidData, path);
        return EmbedViews(model, rep.FramePaths(asset), views, temp.Path, cancellationToken);
    }

    /// <summary>Embeds the <paramref name="views"/> of already rendered frames (rep JPEGs).</summary>
    /// <exception cref="MediaTaggerException">A frame cannot be decoded.</exception>
    public static List<AnchorVector> EmbedViews(IEmbeddingModel model, IReadOnlyList<string> frames, IReadOnlyList<AnchorView> views, CancellationToken cancellationToken)
    {
        using var temp = new TempDirectory();
        return EmbedViews(model, frames, views, temp.Path, cancellationToken);
    }

    static List<AnchorVector> EmbedViews(IEmbeddingModel model, IReadOnlyList<string> frames, IReadOnlyList<AnchorView> views, string temp, CancellationToken cancellationToken)
    {
        var paths = new List<string>();
        var kinds = new List<AnchorView>();
        for (var f = 0; f < frames.Count; f++)
        {
            MagickImage? image = null;
            try
            {
                foreach (var view in views)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    if (view == AnchorView.Original)
                    {
                        paths.Add(frames[f]);
                        kinds.Add(view);
                        continue;
                    }
                    if (image is null)
                    {
                        image = Decode(frames[f]);
                        Directory.CreateDirectory(temp);
                    }
                    using var turned = (MagickImage)image.Clone();
                    Apply(turned, view);
                    // BMP: exact pixels and nothing to compress, for a file that lives a moment.
                    var file = Path.Combine(temp, $"{f}-{view}.bmp");
                    turned.Write(file, MagickFormat.Bmp3);
                    paths.Add(file);
                    kinds.Add(view);
                }
            }
            catch (MagickException ex)
            {
                throw new MediaTaggerException(ErrorIds.EmbeddingRepUnreadable, $"'{frames[f]}' cannot be decoded: {ex.Message}", ErrorKind.ReadError, frames[f], ex);
            }
            finally
            {
                image?.Dispose();
            }
        }
        var vectors = model.EmbedImages(paths, cancellationToken);
        return vectors.Select((v, i) => new AnchorVector(kinds[i], v)).ToList();
    }

    static MagickImage Decode(string frame)
    {
        var image = new MagickImage(frame);
        image.AutoOrient();
        return image;
    }

    /// <summary>Applies a view to an upright image (rotations are clockwise).</summary>
    public static void Apply(MagickImage image, AnchorView view)
    {
        switch (view)
        {
            case AnchorView.Mirrored: image.Flop(); break;
            case AnchorView.Rotated90: image.Rotate(90); break;
            case AnchorView.Rotated180: image.Rotate(180); break;
            case AnchorView.Rotated270: image.Rotate(270); break;
        }
        image.ResetPage();
    }

    /// <summary>A folder of our own under the system temp folder, removed when disposed (a failure to remove is not an error).</summary>
    sealed class TempDirectory : IDisposable
    {
        public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "mediatagger-anchor-" + Guid.NewGuid().ToString("N")[..12]);

        public void Dispose()
        {
            try { if (Directory.Exists(Path)) Directory.Delete(Path, recursive: true); }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
    }
}
