namespace MediaTagger.Core.Xmp;

/// <summary>Finds the sidecar of a media file under either naming convention.</summary>
public static class SidecarLocator
{
    /// <summary>IMG_1.xmp for IMG_1.JPG.</summary>
    public static string BasenamePath(string mediaPath) => Path.ChangeExtension(mediaPath, ".xmp");

    /// <summary>IMG_1.JPG.xmp for IMG_1.JPG.</summary>
    public static string FullNamePath(string mediaPath) => mediaPath + ".xmp";

    public static string PathFor(string mediaPath, SidecarNaming naming) =>
        naming == SidecarNaming.FullName ? FullNamePath(mediaPath) : BasenamePath(mediaPath);

    /// <summary>
    /// The sidecar to write for <paramref name="mediaPath"/>: the one of the preferred naming when it exists, else an
    /// existing one of the other naming (never a second sidecar for the same file), else the preferred name.
    /// </summary>
    public static string Resolve(string mediaPath, SidecarNaming preferred)
    {
        var other = preferred == SidecarNaming.FullName ? SidecarNaming.Basename : SidecarNaming.FullName;
        return ExistingVariant(PathFor(mediaPath, preferred)) ?? ExistingVariant(PathFor(mediaPath, other)) ?? PathFor(mediaPath, preferred);
    }

    /// <summary>Every existing sidecar of the file, the basename form first.</summary>
    public static IReadOnlyList<string> Existing(string mediaPath)
    {
        var found = new List<string>(2);
        foreach (var naming in new[] { SidecarNaming.Basename, SidecarNaming.FullName })
            if (ExistingVariant(PathFor(mediaPath, naming)) is { } p) found.Add(p);
        return found;
    }

    /// <summary>The path itself when it exists, else the same name with an upper-case .XMP (cameras and Windows tools write both).</summary>
    static string? ExistingVariant(string path)
    {
        if (File.Exists(path)) return path;
        var upper = path[..^4] + ".XMP";
        return File.Exists(upper) ? upper : null;
    }
}
