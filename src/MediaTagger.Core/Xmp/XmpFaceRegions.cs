using System.Globalization;
using MediaTagger.Core.Common;
using XmpCore;
using XmpCore.Options;

namespace MediaTagger.Core.Xmp;

/// <summary>A named face region to write: the face's centre and size as fractions of the picture (MWG's stArea, unit "normalized").</summary>
public sealed record XmpFaceRegion(string Name, double CenterX, double CenterY, double Width, double Height)
{
    /// <summary>How the journal spells a region it added: "name|x|y|w|h" (invariant, 6 decimals), so undo removes exactly it.</summary>
    public string Key => string.Join('|', Name, F(CenterX), F(CenterY), F(Width), F(Height));

    static string F(double v) => v.ToString("0.######", CultureInfo.InvariantCulture);

    public static XmpFaceRegion? FromKey(string key)
    {
        var parts = key.Split('|');
        if (parts.Length < 5) return null;
        var n = parts.Length;
        double P(int i) => double.Parse(parts[i], CultureInfo.InvariantCulture);
        return new XmpFaceRegion(string.Join('|', parts[..(n - 4)]), P(n - 4), P(n - 3), P(n - 2), P(n - 1));
    }

    public double IntersectionOverUnion(XmpFaceRegion o)
    {
        var w = Math.Min(CenterX + Width / 2, o.CenterX + o.Width / 2) - Math.Max(CenterX - Width / 2, o.CenterX - o.Width / 2);
        var h = Math.Min(CenterY + Height / 2, o.CenterY + o.Height / 2) - Math.Max(CenterY - Height / 2, o.CenterY - o.Height / 2);
        if (w <= 0 || h <= 0) return 0;
        return w * h / (Width * Height + o.Width * o.Height - w * h);
    }
}

/// <summary>
/// Metadata Working Group face regions (mwg-rs:Regions, as digiKam, Lightroom, Picasa and exiftool read them):
/// AppliedToDimensions plus a RegionList of {Name, Type=Face, Area}. New regions are merged into what is there:
/// a face of the same name at the same place (overlap above half) is not written twice, and no other region is touched.
/// The journal's change lists the regions added, so undo removes exactly those.
/// </summary>
public static class XmpFaceRegions
{
    public const string Ns = "http://www.metadataworkinggroup.com/schemas/regions/";
    public const string DimensionsNs = "http://ns.adobe.com/xap/1.0/sType/Dimensions#";
    public const string AreaNs = "http://ns.adobe.com/xmp/sType/Area#";

    /// <summary>The journal's property name for region changes.</summary>
    public const string Property = "mwg-rs:Regions";

    static readonly object Gate = new();
    static bool _registered;

    static void EnsureRegistered()
    {
        if (Volatile.Read(ref _registered)) return;
        lock (Gate)
        {
            var registry = XmpMetaFactory.SchemaRegistry;
            foreach (var (uri, prefix) in new[] { (Ns, "mwg-rs"), (DimensionsNs, "stDim"), (AreaNs, "stArea") })
                if (registry.GetNamespacePrefix(uri) is null) registry.RegisterNamespace(uri, prefix);
            Volatile.Write(ref _registered, true);
        }
    }

    static string Item(int i) => XmpPathFactory.ComposeArrayItemPath("Regions/mwg-rs:RegionList", i);

    /// <summary>The face regions already in the packet.</summary>
    public static List<XmpFaceRegion> Read(IXmpMeta meta)
    {
        EnsureRegistered();
        var list = new List<XmpFaceRegion>();
        if (!meta.DoesPropertyExist(Ns, "Regions/mwg-rs:RegionList")) return list;
        var count = meta.CountArrayItems(Ns, "Regions/mwg-rs:RegionList");
        for (var i = 1; i <= count; i++)
        {
            var item = Item(i);
            string? Field(string path) => meta.GetProperty(Ns, item + "/" + path)?.Value;
            var type = Field("mwg-rs:Type");
            if (type is not null && !string.Equals(type, "Face", StringComparison.OrdinalIgnoreCase)) continue;
            if (!double.TryParse(Field("mwg-rs:Area/stArea:x"), NumberStyles.Float, CultureInfo.InvariantCulture, out var x)
                || !double.TryParse(Field("mwg-rs:Area/stArea:y"), NumberStyles.Float, CultureInfo.InvariantCulture, out var y)
                || !double.TryParse(Field("mwg-rs:Area/stArea:w"), NumberStyles.Float, CultureInfo.InvariantCulture, out var w)
                || !double.TryParse(Field("mwg-rs:Area/stArea:h"), NumberStyles.Float, CultureInfo.InvariantCulture, out var h)) continue;
            list.Add(new XmpFaceRegion(Field("mwg-rs:Name") ?? "", x, y, w, h));
        }
        return list;
    }

    /// <summary>Adds the regions not already there; sets AppliedToDimensions when the packet has none.</summary>
    public static List<PropertyChange> Add(IXmpMeta meta, IReadOnlyList<XmpFaceRegion> regions, int width, int height)
    {
        EnsureRegistered();
        var existing = Read(meta);
        var added = new List<string>();
        try
        {
            foreach (var r in regions)
            {
                if (existing.Any(e => string.Equals(e.Name, r.Name, StringComparison.OrdinalIgnoreCase) && e.IntersectionOverUnion(r) > 0.5)) continue;
                if (!meta.DoesPropertyExist(Ns, "Regions/mwg-rs:AppliedToDimensions") && width > 0 && height > 0)
                {
                    meta.SetProperty(Ns, "Regions/mwg-rs:AppliedToDimensions/stDim:w", width.ToString(CultureInfo.InvariantCulture));
                    meta.SetProperty(Ns, "Regions/mwg-rs:AppliedToDimensions/stDim:h", height.ToString(CultureInfo.InvariantCulture));
                    meta.SetProperty(Ns, "Regions/mwg-rs:AppliedToDimensions/stDim:unit", "pixel");
                }
                meta.AppendArrayItem(Ns, "Regions/mwg-rs:RegionList", new PropertyOptions { IsArray = true }, null, new PropertyOptions { IsStruct = true });
                var item = Item(meta.CountArrayItems(Ns, "Regions/mwg-rs:RegionList"));
                meta.SetProperty(Ns, item + "/mwg-rs:Name", r.Name);
                meta.SetProperty(Ns, item + "/mwg-rs:Type", "Face");
                foreach (var (field, value) in new[] { ("x", r.CenterX), ("y", r.CenterY), ("w", r.Width), ("h", r.Height) })
                    meta.SetProperty(Ns, $"{item}/mwg-rs:Area/stArea:{field}", value.ToString("0.######", CultureInfo.InvariantCulture));
                meta.SetProperty(Ns, item + "/mwg-rs:Area/stArea:unit", "normalized");
                existing.Add(r);
                added.Add(r.Key);
            }
        }
        catch (XmpException ex)
        {
            throw new MediaTaggerException(ErrorIds.FaceRegionWriteFailed, $"the sidecar's mwg-rs:Regions is not the Metadata Working Group structure ({ex.Message}); it was left untouched.", ErrorKind.InvalidData, null, ex);
        }
        return added.Count == 0 ? [] : [new PropertyChange { Property = Property, Added = added }];
    }

    /// <summary>Removes the regions an earlier write added (undo); the whole Regions structure goes when its list is empty.</summary>
    public static List<PropertyChange> Revert(IXmpMeta meta, PropertyChange change)
    {
        EnsureRegistered();
        var removed = new List<string>();
        foreach (var key in change.Added)
        {
            if (XmpFaceRegion.FromKey(key) is not { } target) continue;
            var count = meta.DoesPropertyExist(Ns, "Regions/mwg-rs:RegionList") ? meta.CountArrayItems(Ns, "Regions/mwg-rs:RegionList") : 0;
            for (var i = count; i >= 1; i--)
            {
                var name = meta.GetProperty(Ns, Item(i) + "/mwg-rs:Name")?.Value;
                var x = meta.GetProperty(Ns, Item(i) + "/mwg-rs:Area/stArea:x")?.Value;
                var y = meta.GetProperty(Ns, Item(i) + "/mwg-rs:Area/stArea:y")?.Value;
                if (name != target.Name || x is null || y is null) continue;
                if (Math.Abs(double.Parse(x, CultureInfo.InvariantCulture) - target.CenterX) > 1e-5 || Math.Abs(double.Parse(y, CultureInfo.InvariantCulture) - target.CenterY) > 1e-5) continue;
                meta.DeleteArrayItem(Ns, "Regions/mwg-rs:RegionList", i);
                removed.Add(key);
                break;
            }
        }
        if (removed.Count > 0 && meta.DoesPropertyExist(Ns, "Regions") && (!meta.DoesPropertyExist(Ns, "Regions/mwg-rs:RegionList") || meta.CountArrayItems(Ns, "Regions/mwg-rs:RegionList") == 0))
            meta.DeleteProperty(Ns, "Regions");
        return removed.Count == 0 ? [] : [new PropertyChange { Property = Property, Removed = removed }];
    }
}
