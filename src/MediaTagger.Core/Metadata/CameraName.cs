using System.Text.RegularExpressions;

namespace MediaTagger.Core.Metadata;

/// <summary>Turns EXIF Make and Model into one readable camera name ("NIKON CORPORATION" + "NIKON D750" → "NIKON D750").</summary>
public static partial class CameraName
{
    // Company suffixes manufacturers put into Make; the brand is what people call the camera by.
    [GeneratedRegex(@"[\s,]+(IMAGING\s+)?(CORPORATION|CORP\.?|COMPANY|CO\.,?\s*LTD\.?|CO\.?|LTD\.?|INC\.?|GMBH|AG|LIMITED)\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex CompanySuffix();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();

    /// <summary>The brand: company suffixes removed, whitespace collapsed.</summary>
    public static string NormalizeMake(string make)
    {
        var s = Spaces().Replace(make.Trim(), " ");
        for (string previous = ""; previous != s;)
        {
            previous = s;
            s = CompanySuffix().Replace(s, "").Trim();
        }
        return s;
    }

    /// <summary>"Make Model", without the make when the model already starts with it; null when neither is known.</summary>
    public static string? Format(string? make, string? model)
    {
        var m = string.IsNullOrWhiteSpace(make) ? "" : NormalizeMake(make);
        var mo = string.IsNullOrWhiteSpace(model) ? "" : Spaces().Replace(model.Trim(), " ");
        if (mo.Length == 0) return m.Length == 0 ? null : m;
        if (m.Length == 0 || mo.StartsWith(m, StringComparison.OrdinalIgnoreCase)) return mo;
        return m + " " + mo;
    }
}
