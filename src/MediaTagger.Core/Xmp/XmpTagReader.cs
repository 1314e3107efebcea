using MediaTagger.Core.Common;
using MetadataExtractor;
using MetadataExtractor.Formats.Xmp;

namespace MediaTagger.Core.Xmp;

/// <summary>
/// Reads the tags of a media file from its sidecar(s) of either naming and, optionally, from its embedded XMP.
/// Other stages use <see cref="SidecarTags"/> and <see cref="HasAnyTag"/> (e.g. search excluding files already tagged).
/// </summary>
public static class XmpTagReader
{
    /// <summary>The tags of <paramref name="mediaPath"/>; a sidecar that cannot be parsed is reported through <paramref name="onError"/> and skipped.</summary>
    public static XmpTagInfo Read(string mediaPath, bool includeEmbedded = true, Action<ItemError>? onError = null)
    {
        var sidecars = SidecarLocator.Existing(mediaPath);
        var sidecarTags = SidecarTags(mediaPath, onError);
        var embedded = includeEmbedded ? EmbeddedTags(mediaPath) : [];
        return new XmpTagInfo
        {
            Path = mediaPath,
            Sidecar = sidecars.Count == 0 ? null : SidecarLocator.Resolve(mediaPath, SidecarNaming.Basename),
            SidecarTags = [.. sidecarTags],
            EmbeddedTags = [.. embedded],
            Tags = sidecarTags.Concat(embedded).Distinct(StringComparer.Ordinal).ToArray(),
        };
    }

    /// <summary>The hierarchical tags in every sidecar of <paramref name="mediaPath"/> (IMG_1.xmp and IMG_1.JPG.xmp), in file order, without duplicates.</summary>
    public static IReadOnlyList<string> SidecarTags(string mediaPath, Action<ItemError>? onError = null)
    {
        var tags = new List<string>();
        foreach (var sidecar in SidecarLocator.Existing(mediaPath))
        {
            try
            {
                var bytes = SidecarFile.Read(sidecar);
                if (bytes is not null) tags.AddRange(XmpSidecar.Parse(bytes, sidecar).Tags);
            }
            catch (MediaTaggerException ex)
            {
                onError?.Invoke(ex.ToItemError());
            }
        }
        return tags.Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// True when a sidecar of the file holds one of <paramref name="queries"/> or a tag below it
    /// ('Dogs|Teddy' matches 'Dogs|Teddy' and 'Dogs|Teddy|Puppy'; case is ignored).
    /// </summary>
    public static bool HasAnyTag(string mediaPath, IReadOnlyCollection<string> queries, Action<ItemError>? onError = null) =>
        SidecarTags(mediaPath, onError).Any(t => queries.Any(q => TagPath.Matches(t, q)));

    /// <summary>Tags in the XMP embedded in the media file; none when it has no XMP or cannot be read.</summary>
    public static IReadOnlyList<string> EmbeddedTags(string mediaPath)
    {
        try
        {
            var xmp = ImageMetadataReader.ReadMetadata(mediaPath).OfType<XmpDirectory>().FirstOrDefault(d => d.XmpMeta is not null);
            return xmp is null ? [] : XmpSidecar.FromMeta(xmp.XmpMeta!).Tags;
        }
        catch (Exception ex) when (ex is ImageProcessingException or IOException or UnauthorizedAccessException or MetadataExtractor.Formats.Jpeg.JpegProcessingException or ArgumentException or NotSupportedException)
        {
            return [];
        }
    }
}
