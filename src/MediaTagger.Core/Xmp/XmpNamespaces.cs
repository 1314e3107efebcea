using XmpCore;

namespace MediaTagger.Core.Xmp;

/// <summary>The XMP namespaces tags are written to. XmpCore knows dc but not the others: they are registered once, before any use.</summary>
public static class XmpNamespaces
{
    public const string Dc = "http://purl.org/dc/elements/1.1/";
    public const string Lightroom = "http://ns.adobe.com/lightroom/1.0/";
    public const string DigiKam = "http://www.digikam.org/ns/1.0/";
    /// <summary>As exiv2 (digiKam) writes it; Windows and exiftool write it without the final '/', see <see cref="MicrosoftPhotoNoSlash"/>.</summary>
    public const string MicrosoftPhoto = "http://ns.microsoft.com/photo/1.0/";
    public const string MicrosoftPhotoNoSlash = "http://ns.microsoft.com/photo/1.0";
    public const string MediaPro = "http://ns.iview-multimedia.com/mediapro/1.0/";

    static readonly object Gate = new();
    static bool _registered;

    /// <summary>Registers lr, digiKam, MicrosoftPhoto and mediapro with the spelling the readers expect (idempotent, thread-safe).</summary>
    public static void EnsureRegistered()
    {
        if (Volatile.Read(ref _registered)) return;
        lock (Gate)
        {
            if (_registered) return;
            var registry = XmpMetaFactory.SchemaRegistry;
            foreach (var (uri, prefix) in new[] { (Lightroom, "lr"), (DigiKam, "digiKam"), (MicrosoftPhoto, "MicrosoftPhoto"), (MediaPro, "mediapro") })
                if (registry.GetNamespacePrefix(uri) is null) registry.RegisterNamespace(uri, prefix);
            Volatile.Write(ref _registered, true);
        }
    }
}
