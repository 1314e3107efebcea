using MetadataExtractor;
using MetadataExtractor.Formats.Exif;
using MetadataExtractor.Formats.Iptc;
using MetadataExtractor.Formats.QuickTime;
using MetadataExtractor.Formats.Xmp;
using Directory = MetadataExtractor.Directory;

namespace MediaTagger.Core.Metadata;

/// <summary>Reads capture date, camera and location of an image or video with MetadataExtractor.</summary>
public static class MediaMetadataReader
{
    const string PhotoshopNs = "http://ns.adobe.com/photoshop/1.0/";
    static readonly DateTime QuickTimeEpoch = new(1904, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>
    /// The facts of <paramref name="path"/>. Date: DateTimeOriginal, else CreateDate, else QuickTime creation time
    /// (UTC, converted to local time), else the file's modification time. A file whose metadata cannot be read still
    /// gets its modification time; <paramref name="onWarning"/> says why.
    /// </summary>
    public static MediaMetadata Read(string path, Action<string>? onWarning = null)
    {
        IReadOnlyList<Directory> directories;
        try
        {
            directories = ImageMetadataReader.ReadMetadata(path);
        }
        catch (Exception ex) when (ex is ImageProcessingException or IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException or IndexOutOfRangeException or InvalidOperationException)
        {
            onWarning?.Invoke($"The metadata of '{path}' cannot be read ({ex.Message}); its date comes from the file's modification time.");
            directories = [];
        }

        var (taken, source) = DateOf(directories) ?? (File.GetLastWriteTime(path), DateSource.FileModified);
        var ifd0 = directories.OfType<ExifIfd0Directory>().FirstOrDefault();
        var qtMeta = directories.OfType<QuickTimeMetadataHeaderDirectory>().FirstOrDefault();
        var gps = directories.OfType<GpsDirectory>().Select(g => g.GetGeoLocation()).FirstOrDefault(g => g is { IsZero: false });
        var iptc = directories.OfType<IptcDirectory>().FirstOrDefault();
        var xmp = directories.OfType<XmpDirectory>().FirstOrDefault(d => d.XmpMeta is not null)?.XmpMeta;

        return new MediaMetadata
        {
            Taken = taken,
            DateSource = source,
            Make = ifd0?.GetString(ExifDirectoryBase.TagMake) ?? qtMeta?.GetString(QuickTimeMetadataHeaderDirectory.TagMake),
            Model = ifd0?.GetString(ExifDirectoryBase.TagModel) ?? qtMeta?.GetString(QuickTimeMetadataHeaderDirectory.TagModel),
            Latitude = gps?.Latitude,
            Longitude = gps?.Longitude,
            City = Text(iptc?.GetString(IptcDirectory.TagCity)) ?? Text(XmpString(xmp, "City")),
            State = Text(iptc?.GetString(IptcDirectory.TagProvinceOrState)) ?? Text(XmpString(xmp, "State")),
            Country = Text(iptc?.GetString(IptcDirectory.TagCountryOrPrimaryLocationName)) ?? Text(XmpString(xmp, "Country")),
        };
    }

    static (DateTime, DateSource)? DateOf(IReadOnlyList<Directory> directories)
    {
        foreach (var sub in directories.OfType<ExifSubIfdDirectory>())
            if (sub.TryGetDateTime(ExifDirectoryBase.TagDateTimeOriginal, out var original) && original.Year > 1900) return (original, DateSource.DateTimeOriginal);
        foreach (var sub in directories.OfType<ExifSubIfdDirectory>())
            if (sub.TryGetDateTime(ExifDirectoryBase.TagDateTimeDigitized, out var created) && created.Year > 1900) return (created, DateSource.CreateDate);
        foreach (var movie in directories.OfType<QuickTimeMovieHeaderDirectory>())
        {
            // mvhd holds seconds since 1904 in UTC; 0 means "not set" (ffmpeg writes 0 without creation_time).
            if (movie.TryGetDateTime(QuickTimeMovieHeaderDirectory.TagCreated, out var utc) && utc > QuickTimeEpoch.AddDays(1))
                return (DateTime.SpecifyKind(utc, DateTimeKind.Utc).ToLocalTime(), DateSource.QuickTimeCreationTime);
        }
        return null;
    }

    static string? XmpString(XmpCore.IXmpMeta? xmp, string name)
    {
        try { return xmp?.GetPropertyString(PhotoshopNs, name); }
        catch (XmpCore.XmpException) { return null; }
    }

    static string? Text(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
