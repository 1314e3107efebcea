using System.Text.Json.Serialization;
using MediaTagger.Core.Common;
using MediaTagger.Core.Metadata;
using MediaTagger.Core.Xmp;

namespace MediaTagger.Core.Profiles;

/// <summary>
/// A preset for one kind of subject (pets, people, places…): how tags are spelled, which automatic tags are added,
/// the query defaults that suit it, and the model to use. Loaded from <c>profiles/*.json</c>.
/// </summary>
public sealed class MediaProfile
{
    /// <summary>The file name without extension (e.g. "pets").</summary>
    [JsonIgnore] public string Name { get; set; } = "";

    public string? Description { get; set; }

    /// <summary>Template of the tag written for a label: "Pets|{label}".</summary>
    public string TagTemplate { get; set; } = "Subjects|{label}";

    public QueryDefaults QueryDefaults { get; set; } = new();

    /// <summary>How reviews of this profile's searches start ("review": { "preselect": 0.85 }).</summary>
    public ReviewDefaults Review { get; set; } = new();

    /// <summary>Text-search prompts for a label: "a photo of {label}".</summary>
    public List<string> PromptTemplates { get; set; } = ["a photo of {label}"];

    /// <summary>Tags derived from metadata: year, month, camera, place.</summary>
    public List<string> AutoTags { get; set; } = ["year", "camera"];

    /// <summary>
    /// True: a file without a capture date takes its year and month from the file's modification time (with a
    /// warning). False (the default): it gets no year or month, since the file time is usually when it was copied.
    /// </summary>
    public bool AutoTagDateFromFileTime { get; set; }

    /// <summary>Basename (IMG_1.xmp) or FullName (IMG_1.JPG.xmp).</summary>
    public SidecarNaming SidecarNaming { get; set; } = SidecarNaming.Basename;

    /// <summary>AllLevels (dc:subject gets every level of a path, like darktable) or Leaf.</summary>
    public SubjectLevels SubjectLevels { get; set; } = SubjectLevels.AllLevels;

    /// <summary>
    /// Whether tags written for a subject carry provenance in the sidecar (subject, model, score, decision time, in the
    /// mediatagger namespace other tools ignore). On by default; a subject's own -NoProvenance wins.
    /// </summary>
    public bool Provenance { get; set; } = true;

    /// <summary>Preferred embedding model (an installed model name); null: CLIP when installed, else the embedded default.</summary>
    public string? Model { get; set; }

    /// <summary>Where the profile was loaded from.</summary>
    [JsonIgnore] public string? Source { get; set; }

    /// <summary>True for profiles shipped with the module, false for the user's own.</summary>
    [JsonIgnore] public bool BuiltIn { get; set; }

    /// <summary>The tag for a label: the template with {label} replaced ("Pets|Teddy").</summary>
    /// <exception cref="MediaTaggerException">The label contains '|' or '/'.</exception>
    public string TagFor(string label) => TagPath.Normalize(TagTemplate.Replace("{label}", TagPath.ValidateLevel(label), StringComparison.OrdinalIgnoreCase));

    /// <summary>Checks what a hand-written profile could get wrong, so the error names the profile rather than a later command.</summary>
    /// <exception cref="MediaTaggerException">With id <see cref="ErrorIds.ProfileInvalid"/>.</exception>
    public void Validate()
    {
        try
        {
            if (!TagTemplate.Contains("{label}", StringComparison.OrdinalIgnoreCase))
                throw new MediaTaggerException(ErrorIds.ProfileInvalid, "tagTemplate must contain {label}, e.g. \"Pets|{label}\".");
            TagFor("x");
            Metadata.AutoTags.Validate(AutoTags);
            if (QueryDefaults?.Image is null || QueryDefaults.Text is null)
                throw new MediaTaggerException(ErrorIds.ProfileInvalid, "queryDefaults needs both \"image\" and \"text\" ({ \"k\": 700, \"minScore\": 0.25 }).");
            if (Review?.Preselect is < -1 or > 1)
                throw new MediaTaggerException(ErrorIds.ProfileInvalid, "review.preselect must be between -1 and 1 (or null: nothing starts ticked).");
            foreach (var limits in new[] { QueryDefaults.Image, QueryDefaults.Text }.Concat(QueryDefaults.ImageByModel?.Values ?? Enumerable.Empty<QueryLimits>()))
                if (limits.K <= 0 || limits.MinScore is < -1 or > 1)
                    throw new MediaTaggerException(ErrorIds.ProfileInvalid, "queryDefaults: k must be positive and minScore between -1 and 1.");
        }
        catch (MediaTaggerException ex)
        {
            throw new MediaTaggerException(ErrorIds.ProfileInvalid, $"The profile '{Source ?? Name}' is not valid: {ex.Message}", ErrorKind.InvalidData, Source ?? Name, ex);
        }
    }
}

/// <summary>K and MinScore for image and text queries separately: their useful score ranges differ.</summary>
public sealed class QueryDefaults
{
    public QueryLimits Image { get; set; } = new() { K = 700, MinScore = 0.25 };
    public QueryLimits Text { get; set; } = new() { K = 700, MinScore = 0.22 };

    /// <summary>
    /// Image limits for particular models, which score on their own scales: with the built-in ResNet18 (centred scores),
    /// unrelated photos score about 0.1 and 1 in 20 of them above 0.45, where CLIP's <see cref="Image"/> threshold would let many through.
    /// </summary>
    public Dictionary<string, QueryLimits> ImageByModel { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>What searches use without a profile: CLIP-scale limits, and ResNet18's own.</summary>
    public static QueryDefaults BuiltIn { get; } = new()
    {
        ImageByModel = new(StringComparer.OrdinalIgnoreCase) { ["resnet18"] = new() { K = 700, MinScore = 0.45 } },
    };

    /// <summary>The image limits that apply to searches in the store of <paramref name="model"/>.</summary>
    public QueryLimits ImageFor(string model) => ImageByModel.TryGetValue(model, out var limits) ? limits : Image;

    /// <summary>What the profile's default view shows: "image K 700, MinScore 0.25; text K 700, MinScore 0.22; resnet18 ...".</summary>
    public override string ToString() =>
        string.Join("; ", new[] { $"image {Image}", $"text {Text}" }.Concat((ImageByModel ?? []).Select(m => $"{m.Key} {m.Value}")));
}

/// <summary>Review settings of a profile.</summary>
public sealed class ReviewDefaults
{
    /// <summary>
    /// Candidates scoring at least this start ticked on the review page. Null (the default): nothing starts ticked.
    /// Kept apart from queryDefaults' minScore on purpose: what is worth showing is not what is worth approving.
    /// </summary>
    public double? Preselect { get; set; }

    /// <summary>What the profile's default view shows.</summary>
    public override string ToString() =>
        Preselect is { } p ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"preselect {p}") : "nothing preselected";
}

public sealed class QueryLimits
{
    public int K { get; set; }
    public double MinScore { get; set; }

    public override string ToString() => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"K {K}, MinScore {MinScore}");
}
