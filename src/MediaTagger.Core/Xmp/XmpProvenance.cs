using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using MediaTagger.Core.Common;
using XmpCore;
using XmpCore.Options;

namespace MediaTagger.Core.Xmp;

/// <summary>
/// Where one tag of a sidecar came from: the subject a person taught, the model that scored the item, the score it had
/// when the person decided (a calibrated probability once the subject had learned, else the similarity), and when,
/// by whom and in which review. Written next to the tag in MediaTagger's own XMP namespace, which other tools ignore.
/// </summary>
public sealed record TagProvenance
{
    /// <summary>The hierarchical tag this is about, normalised ("Pets|Teddy", <see cref="TagPath.Normalize"/>): one entry per tag per sidecar.</summary>
    public required string Tag { get; init; }
    public required string Subject { get; init; }

    /// <summary>How the item became an example: "review" (a person's decision), "anchor" (picked as an example), "face" (a face named).</summary>
    public string? Source { get; init; }
    public string? Model { get; init; }
    public double? Score { get; init; }

    /// <summary>"probability" (the subject's calibrated classifier) or "similarity" (the anchors' rule); null when not known.</summary>
    public string? ScoreKind { get; init; }
    public DateTime? Decided { get; init; }
    public string? DecidedBy { get; init; }

    /// <summary>The review file the decision is recorded in (its name in data/reviews/).</summary>
    public string? Review { get; init; }

    /// <summary>The same facts in the precision the sidecar keeps (score to 6 decimals, time to the second, UTC), so what is read back compares equal.</summary>
    public TagProvenance Normalized() => this with
    {
        Score = Score is { } s && double.IsFinite(s) ? Math.Round(s, 6) : null,
        Decided = Decided is { } d ? new DateTime(d.ToUniversalTime().Ticks / TimeSpan.TicksPerSecond * TimeSpan.TicksPerSecond, DateTimeKind.Utc) : null,
    };

    static readonly JsonSerializerOptions KeyJson = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    /// <summary>How the journal spells an entry (compact JSON), so undo removes or restores exactly it.</summary>
    [JsonIgnore] public string Key => JsonSerializer.Serialize(Normalized(), KeyJson);

    public static TagProvenance? FromKey(string key)
    {
        try { return JsonSerializer.Deserialize<TagProvenance>(key, KeyJson); }
        catch (JsonException) { return null; }
    }
}

/// <summary>
/// MediaTagger's provenance in a sidecar: <c>mediatagger:Provenance</c>, an rdf:Bag of structs (Tag, Subject, Source,
/// Model, Score, ScoreKind, Decided, DecidedBy, Review) in the namespace <see cref="Ns"/>. exiftool reads it as
/// XMP-mediatagger:Provenance (flattened: ProvenanceTag, ProvenanceScore, ...); tools that do not know the namespace
/// carry it along untouched. An entry is replaced when its tag is written again with other facts, removed with its
/// tag, and every change is journaled so undo reverses it. Entries it cannot read are left as they are; a property of
/// another shape under the name (not a list of structs) is refused for writing, never mixed with ours.
/// </summary>
public static class XmpProvenance
{
    public const string Ns = "http://ns.mediatagger.org/1.0/";
    public const string Prefix = "mediatagger";
    const string Array = "Provenance";

    /// <summary>The journal's property name for provenance changes.</summary>
    public const string Property = Prefix + ":" + Array;

    static readonly object Gate = new();
    static bool _registered;

    static void EnsureRegistered()
    {
        if (Volatile.Read(ref _registered)) return;
        lock (Gate)
        {
            if (XmpMetaFactory.SchemaRegistry.GetNamespacePrefix(Ns) is null) XmpMetaFactory.SchemaRegistry.RegisterNamespace(Ns, Prefix);
            Volatile.Write(ref _registered, true);
        }
    }

    static string Item(int i) => XmpPathFactory.ComposeArrayItemPath(Array, i);

    /// <summary>Whether the packet has the property as an array (anything else there is someone else's data).</summary>
    static bool IsArray(IXmpMeta meta) => meta.DoesPropertyExist(Ns, Array) && meta.GetProperty(Ns, Array) is { Options.IsArray: true };

    /// <summary>The provenance entries of the packet, each with its 1-based position; unreadable items are skipped.</summary>
    public static List<(int Index, TagProvenance Entry)> Read(IXmpMeta meta)
    {
        EnsureRegistered();
        var list = new List<(int, TagProvenance)>();
        if (!IsArray(meta)) return list;
        var count = meta.CountArrayItems(Ns, Array);
        for (var i = 1; i <= count; i++)
            if (ReadItem(meta, i) is { } entry) list.Add((i, entry));
        return list;
    }

    static TagProvenance? ReadItem(IXmpMeta meta, int i)
    {
        if (meta.GetProperty(Ns, Item(i)) is not { Options.IsStruct: true }) return null;
        string? Field(string name)
        {
            var p = meta.GetStructField(Ns, Item(i), Ns, name);
            return p is null || p.Options.IsCompositeProperty ? null : p.Value;
        }
        if (Field("Tag") is not { Length: > 0 } tag || Field("Subject") is not { } subject) return null;
        return new TagProvenance
        {
            Tag = tag,
            Subject = subject,
            Source = Field("Source"),
            Model = Field("Model"),
            Score = double.TryParse(Field("Score"), NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && double.IsFinite(s) ? s : null,
            ScoreKind = Field("ScoreKind"),
            Decided = DateTime.TryParse(Field("Decided"), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var d) ? DateTime.SpecifyKind(d, DateTimeKind.Utc) : null,
            DecidedBy = Field("DecidedBy"),
            Review = Field("Review"),
        };
    }

    /// <summary>
    /// Writes each entry: one already there for the same tag with the same facts stays; one with other facts is
    /// replaced. Entries for other tags, and anything else in the namespace, are untouched.
    /// </summary>
    /// <exception cref="MediaTaggerException">The packet has a mediatagger:Provenance that is not a list of structs (<see cref="ErrorIds.XmpProvenanceUnsupported"/>); nothing is changed.</exception>
    public static List<PropertyChange> Set(IXmpMeta meta, IReadOnlyList<TagProvenance> entries) => entries.Count == 0 ? [] : Guard(() =>
    {
        EnsureRegistered();
        if (meta.DoesPropertyExist(Ns, Array) && !IsArray(meta)) throw Unsupported("is not a list of provenance entries");
        // A struct of ours beside items of another shape makes a list exiftool cannot read as structures ("not a structure"): refused, not mixed.
        if (IsArray(meta) && Enumerable.Range(1, meta.CountArrayItems(Ns, Array)).Any(i => meta.GetProperty(Ns, Item(i)) is not { Options.IsStruct: true }))
            throw Unsupported("holds items that are not provenance entries");
        var added = new List<string>();
        var removed = new List<string>();
        foreach (var entry in entries.Select(e => e.Normalized()))
        {
            var same = Read(meta).Where(x => string.Equals(x.Entry.Tag, entry.Tag, StringComparison.Ordinal)).ToList();
            if (same.Count == 1 && same[0].Entry.Key == entry.Key) continue;
            removed.AddRange(DeleteItems(meta, same));
            Append(meta, entry);
            added.Add(entry.Key);
        }
        return Change(added, removed);
    });

    /// <summary>Removes the entries of these tags (their tags are being removed).</summary>
    public static List<PropertyChange> Remove(IXmpMeta meta, IReadOnlyCollection<string> tags)
    {
        if (tags.Count == 0) return [];
        var set = tags.ToHashSet(StringComparer.Ordinal);
        return Guard(() => Change([], DeleteItems(meta, Read(meta).Where(x => set.Contains(x.Entry.Tag)).ToList())));
    }

    /// <summary>Reverses a recorded change (undo): removes the entries it added, puts back the ones it removed.</summary>
    public static List<PropertyChange> Revert(IXmpMeta meta, PropertyChange change) => Guard(() =>
    {
        EnsureRegistered();
        var keys = change.Added.ToHashSet(StringComparer.Ordinal);
        var removed = DeleteItems(meta, Read(meta).Where(x => keys.Contains(x.Entry.Key)).ToList());
        var added = new List<string>();
        if (change.Removed.Count > 0 && meta.DoesPropertyExist(Ns, Array) && !IsArray(meta)) return Change(added, removed);
        var present = Read(meta).Select(x => x.Entry.Key).ToHashSet(StringComparer.Ordinal);
        foreach (var key in change.Removed)
            if (TagProvenance.FromKey(key) is { } entry && present.Add(entry.Key))
            {
                Append(meta, entry);
                added.Add(entry.Key);
            }
        return Change(added, removed);
    });

    /// <summary>XmpCore refuses odd shapes another program may have left under our name (an item that is an array, a qualifier where a value goes): one error for this sidecar, which stays untouched.</summary>
    static List<PropertyChange> Guard(Func<List<PropertyChange>> edit)
    {
        try { return edit(); }
        catch (XmpException ex) { throw Unsupported($"cannot be edited ({ex.Message})"); }
    }

    static MediaTaggerException Unsupported(string why) => new(ErrorIds.XmpProvenanceUnsupported,
        $"{Property} in this sidecar {why}: another program wrote something else there. The sidecar was left untouched; move that property away, or tag without provenance (New-MediaSubject -NoProvenance, or \"provenance\": false in the profile).",
        ErrorKind.InvalidData);

    static List<string> DeleteItems(IXmpMeta meta, List<(int Index, TagProvenance Entry)> items)
    {
        foreach (var (index, _) in items.OrderByDescending(x => x.Index)) meta.DeleteArrayItem(Ns, Array, index);
        // An empty bag is noise to every reader: it goes with its last item.
        if (items.Count > 0 && meta.CountArrayItems(Ns, Array) == 0) meta.DeleteProperty(Ns, Array);
        return items.Select(x => x.Entry.Key).ToList();
    }

    static void Append(IXmpMeta meta, TagProvenance e)
    {
        meta.AppendArrayItem(Ns, Array, new PropertyOptions { IsArray = true }, null, new PropertyOptions { IsStruct = true });
        var item = Item(meta.CountArrayItems(Ns, Array));
        void Field(string name, string? value)
        {
            if (value is not null) meta.SetStructField(Ns, item, Ns, name, value);
        }
        Field("Tag", e.Tag);
        Field("Subject", e.Subject);
        Field("Source", e.Source);
        Field("Model", e.Model);
        Field("Score", e.Score?.ToString("0.######", CultureInfo.InvariantCulture));
        Field("ScoreKind", e.ScoreKind);
        // XMP's date form (ISO 8601), which exiftool reads as a date.
        Field("Decided", e.Decided?.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        Field("DecidedBy", e.DecidedBy);
        Field("Review", e.Review);
    }

    static List<PropertyChange> Change(List<string> added, List<string> removed) =>
        added.Count == 0 && removed.Count == 0 ? [] : [new PropertyChange { Property = Property, Added = added, Removed = removed }];
}
