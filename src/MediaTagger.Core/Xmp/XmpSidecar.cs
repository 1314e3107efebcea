using System.Text;
using MediaTagger.Core.Common;
using XmpCore;
using XmpCore.Options;

namespace MediaTagger.Core.Xmp;

/// <summary>
/// The XMP of one sidecar (or of a media file's own XMP, read-only), with the tag properties edited in place:
/// everything else in the packet is carried through untouched, so a merge never loses foreign properties.
/// </summary>
public sealed class XmpSidecar
{
    /// <summary>One array property that holds tags, and how a hierarchical tag is spelled in it.</summary>
    sealed record TagProperty(string Namespace, string Prefix, string Name, bool Ordered, bool Hierarchical, char Separator, bool OnlyWhenPresent)
    {
        /// <summary>How the journal names the property (unique even where two URIs share a prefix).</summary>
        public string Key { get; init; } = Prefix + ":" + Name;
        public string Spell(string tag) => Separator == TagPath.Separator ? tag : tag.Replace(TagPath.Separator, Separator);
        public string Read(string item) => Separator == TagPath.Separator ? item : item.Replace(Separator, TagPath.Separator);
    }

    static readonly TagProperty Hierarchical = new(XmpNamespaces.Lightroom, "lr", "hierarchicalSubject", false, true, '|', false);
    static readonly TagProperty TagsList = new(XmpNamespaces.DigiKam, "digiKam", "TagsList", true, true, '/', false);
    static readonly TagProperty Subject = new(XmpNamespaces.Dc, "dc", "subject", false, false, '|', false);
    static readonly TagProperty LastKeywordXmp = new(XmpNamespaces.MicrosoftPhoto, "MicrosoftPhoto", "LastKeywordXMP", false, true, '/', true);
    // The same property under the namespace URI Windows and exiftool use: whichever a sidecar has is updated.
    static readonly TagProperty LastKeywordXmpNoSlash = new(XmpNamespaces.MicrosoftPhotoNoSlash, "MicrosoftPhoto", "LastKeywordXMP", false, true, '/', true) { Key = "{" + XmpNamespaces.MicrosoftPhotoNoSlash + "}LastKeywordXMP" };
    static readonly TagProperty CatalogSets = new(XmpNamespaces.MediaPro, "mediapro", "CatalogSets", false, true, '|', true);
    static readonly TagProperty[] HierarchicalProperties = [Hierarchical, TagsList, LastKeywordXmp, LastKeywordXmpNoSlash, CatalogSets];
    static readonly TagProperty[] AllProperties = [Hierarchical, TagsList, Subject, LastKeywordXmp, LastKeywordXmpNoSlash, CatalogSets];

    static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    readonly IXmpMeta _meta;

    XmpSidecar(IXmpMeta meta) => _meta = meta;

    /// <summary>The packet itself, for editors of other structures in the same write (face regions, <see cref="XmpFaceRegions"/>).</summary>
    internal IXmpMeta Meta => _meta;

    static XmpSidecar() => XmpNamespaces.EnsureRegistered();

    /// <summary>An empty packet, for a media file that has no sidecar yet.</summary>
    public static XmpSidecar CreateNew() => new(XmpMetaFactory.Create());

    /// <summary>Wraps XMP parsed elsewhere (MetadataExtractor's embedded XMP).</summary>
    public static XmpSidecar FromMeta(IXmpMeta meta) => new(meta);

    /// <summary>Parses a sidecar's bytes.</summary>
    /// <exception cref="MediaTaggerException">The file is empty or not XMP: callers report it and leave the file alone.</exception>
    public static XmpSidecar Parse(byte[] bytes, string path)
    {
        XmpNamespaces.EnsureRegistered();
        if (bytes.AsSpan().Trim((byte)' ').Length == 0)
            throw Unreadable(path, "it is empty", null);
        try
        {
            // Aliases are kept where the author put them (no normalisation), and DTDs are refused (XXE).
            var options = new ParseOptions { OmitNormalization = true, DisallowDoctype = true };
            return new XmpSidecar(XmpMetaFactory.ParseFromBuffer(bytes, options));
        }
        // XmpCore's parser fails on hostile bytes with many exception types (NotSupportedException for a UTF-16/32
        // byte-order mark before junk, XmlException, IndexOutOfRange...): each means "not XMP" for this one file.
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw Unreadable(path, ex.Message, ex);
        }
    }

    static MediaTaggerException Unreadable(string path, string why, Exception? inner) =>
        new(ErrorIds.XmpSidecarUnreadable, $"The sidecar '{path}' is not valid XMP ({why}); it was left untouched. Repair or move it, then run the command again.", ErrorKind.InvalidData, path, inner);

    /// <summary>
    /// The hierarchical tags of the packet: lr:hierarchicalSubject, digiKam:TagsList, MicrosoftPhoto:LastKeywordXMP and
    /// mediapro:CatalogSets (all spelled with '|'), plus flat dc:subject keywords that are no level of any of them.
    /// </summary>
    public IReadOnlyList<string> Tags
    {
        get
        {
            var tags = new List<string>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var p in HierarchicalProperties)
                foreach (var item in Items(p))
                    if (item.Length > 0 && seen.Add(p.Read(item))) tags.Add(p.Read(item));
            var levels = tags.SelectMany(TagPath.Levels).ToHashSet(StringComparer.Ordinal);
            foreach (var keyword in Items(Subject))
                if (keyword.Length > 0 && !levels.Contains(keyword) && seen.Add(keyword)) tags.Add(keyword);
            return tags;
        }
    }

    /// <summary>Adds each tag to every tag property (as a set: what is there stays, nothing is duplicated).</summary>
    public List<PropertyChange> Add(IReadOnlyCollection<string> tags, SubjectLevels levels)
    {
        var changes = new List<PropertyChange>();
        foreach (var p in HierarchicalProperties)
        {
            var exists = _meta.DoesPropertyExist(p.Namespace, p.Name);
            if (p.OnlyWhenPresent && !exists) continue;
            var values = tags.Select(p.Spell);
            // digiKam and Immich read TagsList before lr:hierarchicalSubject: one we create must hold the tags already
            // there (lr is edited first in this loop, so it holds the new ones too, in order).
            if (p == TagsList && !exists) values = Items(Hierarchical).Select(Hierarchical.Read).Select(p.Spell).Concat(values);
            Record(changes, p, AddItems(p, values), ([], []));
        }
        var keywords = tags.SelectMany(t => levels == SubjectLevels.Leaf ? [TagPath.Leaf(t)] : TagPath.Levels(t));
        Record(changes, Subject, AddItems(Subject, keywords), ([], []));
        return changes;
    }

    /// <summary>
    /// Removes exactly these tags from every tag property. A dc:subject keyword goes only when no remaining tag still uses it
    /// as a level (Dogs stays while Dogs|Rex remains).
    /// </summary>
    public List<PropertyChange> Remove(IReadOnlyCollection<string> tags)
    {
        var changes = new List<PropertyChange>();
        foreach (var p in HierarchicalProperties)
            Record(changes, p, [], RemoveItems(p, tags.Select(p.Spell).ToHashSet(StringComparer.Ordinal)));
        var remaining = HierarchicalProperties.SelectMany(p => Items(p).Select(p.Read)).SelectMany(TagPath.Levels).ToHashSet(StringComparer.Ordinal);
        var keywords = tags.SelectMany(TagPath.Levels).Where(k => !remaining.Contains(k)).ToHashSet(StringComparer.Ordinal);
        Record(changes, Subject, [], RemoveItems(Subject, keywords));
        return changes;
    }

    /// <summary>Reverses recorded changes: removes what they added, puts back what they removed where it stood.</summary>
    public List<PropertyChange> Revert(IEnumerable<PropertyChange> changes)
    {
        var reverted = new List<PropertyChange>();
        foreach (var change in changes)
        {
            if (change.Property == XmpFaceRegions.Property)
            {
                reverted.AddRange(XmpFaceRegions.Revert(_meta, change));
                continue;
            }
            if (change.Property == XmpProvenance.Property)
            {
                reverted.AddRange(XmpProvenance.Revert(_meta, change));
                continue;
            }
            var p = AllProperties.FirstOrDefault(x => x.Key == change.Property);
            if (p is null) continue;
            var (removed, removedAt) = RemoveItems(p, change.Added.ToHashSet(StringComparer.Ordinal));
            var added = change.RemovedAt is { } at && at.Count == change.Removed.Count ? InsertItems(p, change.Removed, at) : AddItems(p, change.Removed);
            Record(reverted, p, added, (removed, removedAt));
        }
        return reverted;
    }

    /// <summary>The packet as a sidecar file: UTF-8 without a byte-order mark, in an xpacket wrapper, without padding.</summary>
    public byte[] Serialize()
    {
        // Padding 0 means "the default" (2 KB) to XmpCore; 1 is the smallest it honours. Padding only helps in-place edits inside images.
        var options = new SerializeOptions { Padding = 1, OmitPacketWrapper = false, Sort = false };
        // XmpCore puts a BOM before the packet (exiftool flags it); the one inside begin="..." is the packet's own marker and stays.
        var text = XmpMetaFactory.SerializeToString(_meta, options).TrimStart('\uFEFF');
        return Utf8.GetBytes(text);
    }

    IEnumerable<string> Items(TagProperty p)
    {
        if (!_meta.DoesPropertyExist(p.Namespace, p.Name)) yield break;
        var property = _meta.GetProperty(p.Namespace, p.Name);
        if (property is null || !property.Options.IsArray) yield break;
        var count = _meta.CountArrayItems(p.Namespace, p.Name);
        for (var i = 1; i <= count; i++)
            if (_meta.GetArrayItem(p.Namespace, p.Name, i)?.Value is { } v) yield return v;
    }

    List<string> AddItems(TagProperty p, IEnumerable<string> values)
    {
        var present = Items(p).ToHashSet(StringComparer.Ordinal);
        var added = new List<string>();
        foreach (var v in values)
        {
            if (!present.Add(v)) continue;
            try
            {
                _meta.AppendArrayItem(p.Namespace, p.Name, new PropertyOptions { IsArray = true, IsArrayOrdered = p.Ordered }, v, null);
            }
            catch (XmpException ex)
            {
                throw new MediaTaggerException(ErrorIds.XmpSidecarUnsupported,
                    $"{p.Key} in this sidecar is not a list of tags ({ex.Message}); the sidecar was left untouched.", ErrorKind.InvalidData, null, ex);
            }
            added.Add(v);
        }
        return added;
    }

    /// <summary>Removes the items in <paramref name="values"/>; returns them with their 1-based positions before the removal.</summary>
    (List<string> Removed, List<int> At) RemoveItems(TagProperty p, IReadOnlySet<string> values)
    {
        var removed = new List<string>();
        var at = new List<int>();
        if (values.Count == 0) return (removed, at);
        var items = Items(p).ToList();
        for (var i = items.Count; i >= 1; i--)
        {
            if (!values.Contains(items[i - 1])) continue;
            _meta.DeleteArrayItem(p.Namespace, p.Name, i);
            removed.Insert(0, items[i - 1]);
            at.Insert(0, i);
        }
        // An empty array is noise to every reader (and exiftool lists it): drop it with its last item.
        if (removed.Count > 0 && _meta.CountArrayItems(p.Namespace, p.Name) == 0) _meta.DeleteProperty(p.Namespace, p.Name);
        return (removed, at);
    }

    /// <summary>Puts items back at the positions they were removed from (ascending), which restores the original order.</summary>
    List<string> InsertItems(TagProperty p, List<string> values, List<int> positions)
    {
        var present = Items(p).ToHashSet(StringComparer.Ordinal);
        var inserted = new List<string>();
        for (var k = 0; k < values.Count; k++)
        {
            if (!present.Add(values[k])) continue;
            var count = _meta.DoesPropertyExist(p.Namespace, p.Name) ? _meta.CountArrayItems(p.Namespace, p.Name) : 0;
            if (count == 0 || positions[k] > count) AddItems(p, [values[k]]);
            else _meta.InsertArrayItem(p.Namespace, p.Name, Math.Max(1, positions[k]), values[k]);
            inserted.Add(values[k]);
        }
        return inserted;
    }

    static void Record(List<PropertyChange> changes, TagProperty p, List<string> added, (List<string> Items, List<int> At) removed)
    {
        if (added.Count > 0 || removed.Items.Count > 0)
            changes.Add(new PropertyChange { Property = p.Key, Added = added, Removed = removed.Items, RemovedAt = removed.Items.Count > 0 ? removed.At : null });
    }
}
