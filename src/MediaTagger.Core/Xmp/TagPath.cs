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
        CheckCharacters(tag);
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
        CheckCharacters(level);
        var trimmed = level.Trim();
        if (trimmed.Length == 0) throw Invalid(level, $"The {what} is empty.");
        if (trimmed.IndexOfAny([Separator, DigiKamSeparator]) >= 0)
            throw Invalid(level, $"The {what} '{level}' contains '|' or '/'; both separate tag levels in Lightroom, digiKam and Immich. Use another character.");
        return trimmed;
    }

    /// <summary>
    /// Refuses text XML 1.0 cannot carry (control characters, U+FFFE/U+FFFF, lone surrogates), and DEL and C1 controls,
    /// which no tag means: written raw they make the sidecar unreadable, replaced they silently become another tag.
    /// </summary>
    /// <exception cref="MediaTaggerException">With id <see cref="ErrorIds.XmpTagCharacterInvalid"/>, naming the character.</exception>
    public static void CheckCharacters(string text)
    {
        if (FirstInvalid(text) is not { } i) return;
        var code = char.IsSurrogate(text[i]) ? $"U+{(int)text[i]:X4} (a lone surrogate)" : $"U+{(int)text[i]:X4}";
        throw new MediaTaggerException(ErrorIds.XmpTagCharacterInvalid,
            $"The tag '{Visible(text)}' contains {code} at position {i + 1}, which an XMP sidecar cannot hold. Remove that character.",
            ErrorKind.InvalidArgument, text);
    }

    /// <summary>The index of the first character <see cref="CheckCharacters"/> refuses, or null.</summary>
    static int? FirstInvalid(string text, int start = 0)
    {
        for (var i = start; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) { i++; continue; }
            if (char.IsSurrogate(c) || char.IsControl(c) || c is '\uFFFE' or '\uFFFF') return i;
        }
        return null;
    }

    /// <summary>The text with every refused character replaced by <paramref name="replace"/>.</summary>
    static string ReplaceInvalid(string text, Func<char, string> replace)
    {
        if (FirstInvalid(text) is not { } first) return text;
        var sb = new System.Text.StringBuilder(text.Length + 8);
        var from = 0;
        for (int? i = first; i is { } at; i = FirstInvalid(text, at + 1))
        {
            sb.Append(text, from, at - from).Append(replace(text[at]));
            from = at + 1;
        }
        return sb.Append(text, from, text.Length - from).ToString();
    }

    /// <summary>The text with refused characters shown as \uXXXX, for messages.</summary>
    static string Visible(string text) => ReplaceInvalid(text, c => $"\\u{(int)c:X4}");

    /// <summary>Replaces the reserved separators in a value taken from metadata (camera models, place names) and drops characters no tag can hold.</summary>
    public static string Sanitize(string value) =>
        string.Join(' ', ReplaceInvalid(value, _ => " ").Replace(Separator, '-').Replace(DigiKamSeparator, '-').Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

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
