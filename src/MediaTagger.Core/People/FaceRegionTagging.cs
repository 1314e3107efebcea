using ImageMagick;
using MediaTagger.Core.Common;
using MediaTagger.Core.Faces;
using MediaTagger.Core.Xmp;

namespace MediaTagger.Core.People;

/// <summary>
/// A face a person approved under a name: what goes into the sidecar as a People tag and a face region. A person
/// subject gives its own tag (its profile's template) and the tag's provenance.
/// </summary>
public sealed record NamedFace(MediaFace Face, string Name, string? Tag = null, TagProvenance? Provenance = null);

/// <summary>
/// Writes approved people into sidecars (Faces → Xmp): for each file, "People|&lt;name&gt;" tags and one Metadata
/// Working Group face region per face, merged into the sidecar through the same editor and journal as every tag write,
/// so Undo-MediaXmpTag reverses it.
/// </summary>
public static class FaceRegionTagging
{
    public const string TagRoot = "People";

    public static string TagOf(string name) => TagPath.Normalize($"{TagRoot}|{name}");

    /// <summary>The sidecar edits for <paramref name="faces"/>, planned (nothing written yet).</summary>
    public static List<TagBatchItem> Plan(IReadOnlyList<NamedFace> faces, SidecarNaming naming, SubjectLevels levels, string run, CancellationToken cancellationToken)
    {
        var byPath = faces.GroupBy(f => f.Face.Path, Library.MediaLibrary.PathComparer).ToDictionary(g => g.Key, g => g.ToList(), Library.MediaLibrary.PathComparer);
        var items = TagBatch.GroupBySidecar(byPath.Values.Select(g => new TagTarget(g[0].Face.Path, TagJournal.PathForStore(g[0].Face.StorePath))),
            p => [SidecarLocator.Resolve(p, naming)]);
        TagBatch.Plan(items, (item, _) => RequestFor(item, item.Targets.SelectMany(t => byPath[t.MediaPath]).ToList(), levels, run), cancellationToken);
        return items;
    }

    /// <summary>The edit of one sidecar: a People tag per name (plus <paramref name="extraTags"/>), a region per face of a photo, provenance when given.</summary>
    public static TagEditRequest RequestFor(TagBatchItem item, IReadOnlyList<NamedFace> named, SubjectLevels levels, string run, IEnumerable<string>? extraTags = null)
    {
        var (width, height) = UprightSize(item.Targets[0].MediaPath);
        return new TagEditRequest
        {
            Sidecar = item.Sidecar,
            MediaPaths = item.Targets.Select(t => t.MediaPath).ToList(),
            JournalPath = item.Targets[0].JournalPath,
            Add = named.Select(n => n.Tag ?? TagOf(n.Name)).Concat(extraTags ?? []).Distinct(StringComparer.Ordinal).ToList(),
            Regions = named.Where(n => n.Face.Frame is null)
                .Select(n => new XmpFaceRegion(n.Name, n.Face.X + n.Face.Width / 2, n.Face.Y + n.Face.Height / 2, n.Face.Width, n.Face.Height)).ToList(),
            ImageWidth = width,
            ImageHeight = height,
            SubjectLevels = levels,
            Run = run,
            // One entry per tag: the first face's decision stands for a picture with two faces of the same person.
            Provenance = named.Where(n => n.Provenance is not null).GroupBy(n => n.Provenance!.Tag, StringComparer.Ordinal).Select(g => g.First().Provenance!).ToList(),
        };
    }

    /// <summary>The picture's size as shown (EXIF rotation applied), the frame the face boxes are in.</summary>
    static (int Width, int Height) UprightSize(string path)
    {
        try
        {
            using var image = new MagickImage();
            image.Ping(path);
            var turned = image.Orientation is Orientation.LeftTop or Orientation.RightTop or Orientation.RightBottom or Orientation.LeftBottom;
            return turned ? ((int)image.Height, (int)image.Width) : ((int)image.Width, (int)image.Height);
        }
        catch (MagickException ex)
        {
            throw new MediaTaggerException(ErrorIds.FaceImageUnreadable, $"'{path}' cannot be read to size its face regions: {ex.Message}", ErrorKind.ReadError, path, ex);
        }
    }
}
