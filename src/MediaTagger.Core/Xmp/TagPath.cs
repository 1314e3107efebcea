using MediaTagger.Core.Common;

namespace MediaTagger.Core.Xmp;

/// <summary>
/// Hierarchical tags as the readers spell them: levels joined by '|' (lr:hierarchicalSubject) or '/' (digiKam:TagsList).
/// Both characters are reserved, so a level may contain neither.
/// </summary>
public static class TagPath
{
    public const char Separator = '|';
    public const char DigiKamSeparator = '/';

    /// <summary>Checks and normalises a tag ("Dogs | Teddy" → "Dogs|Teddy").</summary>
    /// <exception cref="MediaTaggerException">An empty level, or a level containing '/'.</exception>
    public static string Normalize(string tag)
    {
        var levels = tag.Split(Separator).Select(l => l.Trim()).ToArray();
        foreach (var level in levels)
        {
            if (level.Length == 0)
                throw Invalid(tag, $"The tag '{tag}' has an empty level. Write levels separated by '|', e.g. 'Dogs|Teddy'.");
            if (level.Contains(DigiKamSeparator))
                throw Invalid(tag, $"The tag '{tag}' has a level containing '/', which digiKam and Immich read as a level separator. Use another character.");
        }
        return string.Join(Separator, levels);
    }

    /// <summary>Checks one level (a label, a value of an automatic tag): neither '|' nor '/' is allowed.</summary>
    public static string ValidateLevel(string level, string what = "label")
    {
        var trimmed = level.Trim();
        if (trimmed.Length == 0) throw Invalid(level, $"The {what} is empty.");
        if (trimmed.IndexOfAny([Separator, DigiKamSeparator]) >= 0)
            throw Invalid(level, $"The {what} '{level}' contains '|' or '/'; both separate tag levels in Lightroom, digiKam and Immich. Use another character.");
        return trimmed;
    }

    /// <summary>Replaces the reserved separators in a value taken from metadata (camera models, place names).</summary>
    public static string Sanitize(string value) =>
        string.Join(' ', value.Replace(Separator, '-').Replace(DigiKamSeparator, '-').Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    public static string[] Levels(string tag) => tag.Split(Separator);

    public static string Leaf(string tag) => tag[(tag.LastIndexOf(Separator) + 1)..];

    public static string ToDigiKam(string tag) => tag.Replace(Separator, DigiKamSeparator);

    public static string FromDigiKam(string tagsListItem) => tagsListItem.Replace(DigiKamSeparator, Separator);

    /// <summary>True when <paramref name="tag"/> is <paramref name="query"/> or lies below it (Dogs|Teddy|Puppy under Dogs|Teddy); case is ignored.</summary>
    public static bool Matches(string tag, string query) =>
        tag.Equals(query, StringComparison.OrdinalIgnoreCase)
        || (tag.Length > query.Length && tag[query.Length] == Separator && tag.StartsWith(query, StringComparison.OrdinalIgnoreCase));

    static MediaTaggerException Invalid(string tag, string message) => new(ErrorIds.XmpTagInvalid, message, ErrorKind.InvalidArgument, tag);
}
