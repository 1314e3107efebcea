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
        var (width, height, orientation) = StoredFrame(item.Targets[0].MediaPath);
        return new TagEditRequest
        {
            Sidecar = item.Sidecar,
            MediaPaths = item.Targets.Select(t => t.MediaPath).ToList(),
            JournalPath = item.Targets[0].JournalPath,
            Add = named.Select(n => n.Tag ?? TagOf(n.Name)).Concat(extraTags ?? []).Distinct(StringComparer.Ordinal).ToList(),
            Regions = named.Where(n => n.Face.Frame is null)
                .Select(n => ToStored(orientation, n.Name, n.Face.X + n.Face.Width / 2, n.Face.Y + n.Face.Height / 2, n.Face.Width, n.Face.Height)).ToList(),
            ImageWidth = width,
            ImageHeight = height,
            SubjectLevels = levels,
            Run = run,
            // One entry per tag: the first face's decision stands for a picture with two faces of the same person.
            Provenance = named.Where(n => n.Provenance is not null).GroupBy(n => n.Provenance!.Tag, StringComparer.Ordinal).Select(g => g.First().Provenance!).ToList(),
        };
    }

    /// <summary>
    /// The picture as stored (its raster before EXIF Orientation is applied) and its Orientation. MWG Guidelines 2.0
    /// (5.9, image regions): "region metadata is applied to the stored image"; a viewer that applies the Orientation
    /// turns the regions with the pixels. digiKam and exiftool (rotate_regions.config turns regions with the pixels) read
    /// them so; AppliedToDimensions are the stored width and height.
    /// </summary>
    static (int Width, int Height, Orientation Orientation) StoredFrame(string path)
    {
        try
        {
            using var image = new MagickImage();
            image.Ping(path);
            return ((int)image.Width, (int)image.Height, image.Orientation);
        }
        catch (MagickException ex)
        {
            throw new MediaTaggerException(ErrorIds.FaceImageUnreadable, $"'{path}' cannot be read to size its face regions: {ex.Message}", ErrorKind.ReadError, path, ex);
        }
    }

    /// <summary>
    /// A face box found on the upright picture (normalised centre and size, as shown) in the stored picture's frame.
    /// Each case undoes what the Orientation does on display: 2 mirrors, 3 turns 180°, 4 flips, 5 transposes, 6 turns
    /// 90° clockwise, 7 transverses, 8 turns 90° counter-clockwise; 5–8 swap width and height.
    /// </summary>
    public static XmpFaceRegion ToStored(Orientation orientation, string name, double x, double y, double w, double h) => orientation switch
    {
        Orientation.TopRight => new(name, 1 - x, y, w, h),
        Orientation.BottomRight => new(name, 1 - x, 1 - y, w, h),
        Orientation.BottomLeft => new(name, x, 1 - y, w, h),
        Orientation.LeftTop => new(name, y, x, h, w),
        Orientation.RightTop => new(name, y, 1 - x, h, w),
        Orientation.RightBottom => new(name, 1 - y, 1 - x, h, w),
        Orientation.LeftBottom => new(name, 1 - y, x, h, w),
        _ => new(name, x, y, w, h),
    };
}
