namespace MediaTagger.Core.Subjects;

/// <summary>
/// A subject a person teaches MediaTagger ("Teddy"): its name, the tag it maps to and its anchors. What the person
/// decided in reviews for it is read from the library's review decisions (label = <see cref="Name"/>), never copied
/// here, so the decisions stay the one truth. Nothing in it depends on an embedding model: switching models keeps it.
/// Stored as <c>data/subjects/&lt;name&gt;.json</c> by <see cref="SubjectStore"/>, its only reader and writer.
/// </summary>
public sealed class Subject
{
    public const int CurrentVersion = 1;

    public int Version { get; set; } = CurrentVersion;

    /// <summary>What the person calls it; the label its review decisions carry. Unique per library, case ignored.</summary>
    public string Name { get; set; } = "";

    /// <summary>The hierarchical tag approved items get, e.g. <c>Pets|Teddy</c> (a profile's template applied to the name).</summary>
    public string Tag { get; set; } = "";

    /// <summary>The profile the tag came from (its sidecar naming, levels and model are used when tagging and searching).</summary>
    public string? Profile { get; set; }

    public DateTime CreatedUtc { get; set; } = DateTime.UtcNow;
    public DateTime ModifiedUtc { get; set; } = DateTime.UtcNow;

    /// <summary>Example images of the subject: positive examples from the start.</summary>
    public List<SubjectAnchor> Anchors { get; set; } = [];

    /// <summary>Example images of what it is not (the neighbour's dog): negative examples from the start.</summary>
    public List<SubjectAnchor> NegativeAnchors { get; set; } = [];

    /// <summary>Thing (ranked on whole-picture embeddings) or Person (ranked on face embeddings; its examples are faces).</summary>
    public SubjectKind Kind { get; set; } = SubjectKind.Thing;

    /// <summary>Whether tags written for it carry provenance (subject, model, score, decision time); null: the profile's choice (on by default).</summary>
    public bool? Provenance { get; set; }
}

/// <summary>What a subject's examples are.</summary>
public enum SubjectKind
{
    /// <summary>Pictures: ranked on the embeddings of whole pictures (a pet, a place, a thing).</summary>
    Thing,
    /// <summary>A person: examples are faces (asset + face), ranked on face embeddings; faces named with its name are positives.</summary>
    Person,
}

/// <summary>
/// One anchor: an asset of the library (by id and relative path, a video by frame when one was named) or an image file
/// outside it (by absolute path), embedded with whichever model ranks the subject.
/// </summary>
public sealed class SubjectAnchor
{
    public string? Id { get; set; }
    public string? RelativePath { get; set; }

    /// <summary>The video frame (1-based) that shows the subject; null for images and for "any frame".</summary>
    public int? Frame { get; set; }

    /// <summary>Absolute path of an anchor outside the library.</summary>
    public string? File { get; set; }

    public DateTime AddedUtc { get; set; } = DateTime.UtcNow;

    public override string ToString() => RelativePath ?? File ?? Id ?? "";
}
