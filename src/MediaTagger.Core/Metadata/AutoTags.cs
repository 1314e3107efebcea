using System.Globalization;
using MediaTagger.Core.Common;
using MediaTagger.Core.Xmp;

namespace MediaTagger.Core.Metadata;

/// <summary>
/// Tags derived from a file's metadata, by name: year (Year|2021), month (Month|2021-07), camera (Camera|Canon EOS 5D),
/// place (Place|Country|State|City from IPTC/XMP location fields, else Place|GPS|48.86N 2.35E when GPS exists).
/// </summary>
public static class AutoTags
{
    public const string Year = "year";
    public const string Month = "month";
    public const string Camera = "camera";
    public const string Place = "place";

    public static readonly IReadOnlyList<string> Known = [Year, Month, Camera, Place];

    /// <summary>Checks the names of automatic tags (from a profile or a parameter).</summary>
    public static void Validate(IEnumerable<string> kinds, string? source = null)
    {
        foreach (var k in kinds)
            if (!Known.Contains(k, StringComparer.OrdinalIgnoreCase))
                throw new MediaTaggerException(ErrorIds.XmpTagInvalid, $"'{k}' is not an automatic tag{(source is null ? "" : " (in " + source + ")")}. Known: {string.Join(", ", Known)}.", ErrorKind.InvalidArgument, k);
    }

    /// <summary>
    /// Reads <paramref name="mediaPath"/> and returns the requested automatic tags; nothing is read when none is requested.
    /// A file without a capture date gets no year or month (the file's time is when it was copied, a tag nobody chose)
    /// unless <paramref name="dateFromFileTime"/> is set: then it gets them and <paramref name="onWarning"/> says so.
    /// <paramref name="onUndated"/> hears of files whose year or month was left out.
    /// </summary>
    public static IReadOnlyList<string> For(string mediaPath, IReadOnlyCollection<string> kinds, bool dateFromFileTime = false, Action<string>? onWarning = null, Action<string>? onUndated = null)
    {
        if (kinds.Count == 0) return [];
        var m = MediaMetadataReader.Read(mediaPath, onWarning);
        var wantsDate = kinds.Any(k => k.Equals(Year, StringComparison.OrdinalIgnoreCase) || k.Equals(Month, StringComparison.OrdinalIgnoreCase));
        if (!wantsDate || m.DateSource != DateSource.FileModified) return For(m, kinds);
        if (!dateFromFileTime)
        {
            onUndated?.Invoke(mediaPath);
            return For(m, kinds.Where(k => !k.Equals(Year, StringComparison.OrdinalIgnoreCase) && !k.Equals(Month, StringComparison.OrdinalIgnoreCase)).ToList());
        }
        onWarning?.Invoke($"'{mediaPath}' has no capture date in its metadata: its year and month come from the file's modification time ({m.Taken:yyyy-MM-dd}), as -DateFromFileTime asks.");
        return For(m, kinds);
    }

    public static IReadOnlyList<string> For(MediaMetadata m, IReadOnlyCollection<string> kinds)
    {
        var tags = new List<string>();
        bool Wants(string k) => kinds.Contains(k, StringComparer.OrdinalIgnoreCase);
        if (Wants(Year)) tags.Add("Year|" + m.Taken.Year.ToString("D4", CultureInfo.InvariantCulture));
        if (Wants(Month)) tags.Add("Month|" + m.Taken.ToString("yyyy-MM", CultureInfo.InvariantCulture));
        if (Wants(Camera) && CameraName.Format(m.Make, m.Model) is { } camera && TagPath.Sanitize(camera) is { Length: > 0 } c) tags.Add("Camera|" + c);
        if (Wants(Place) && PlaceOf(m) is { } place) tags.Add(place);
        return tags;
    }

    static string? PlaceOf(MediaMetadata m)
    {
        var names = new[] { m.Country, m.State, m.City }.Where(n => n is not null).Select(n => TagPath.Sanitize(n!)).Where(n => n.Length > 0).ToList();
        if (names.Count > 0) return "Place|" + string.Join(TagPath.Separator, names);
        if (m.Latitude is not { } lat || m.Longitude is not { } lon) return null;
        // Two decimals is about a kilometre: close enough to group a place, coarse enough to repeat across a visit.
        var text = string.Create(CultureInfo.InvariantCulture, $"{Math.Abs(lat):0.00}{(lat >= 0 ? 'N' : 'S')} {Math.Abs(lon):0.00}{(lon >= 0 ? 'E' : 'W')}");
        return "Place|GPS|" + text;
    }
}
