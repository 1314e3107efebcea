using System.Diagnostics;
using MediaTagger.Core.Common;
using MediaTagger.Core.Library;
using MediaTagger.Core.Reps;
using MediaTagger.Core.Search;

namespace MediaTagger.Review.Tests;

/// <summary>
/// A temporary library of real photographs with rep JPEGs rendered by ImageMagick, a catalog and a last query whose
/// results carry the given scores (result i is asset i).
/// </summary>
sealed class TestLibrary : IDisposable
{
    const int RepSize = 384;

    TestLibrary(string root)
    {
        Root = root;
        Library = MediaLibrary.Open(root);
    }

    public string Root { get; }
    public MediaLibrary Library { get; }
    public List<MediaAsset> Assets { get; } = [];
    public QueryRecord Query { get; private set; } = new();

    /// <summary>
    /// One asset per score. Up to the number of distinct photos each asset is its own photo; beyond that (the 2,000-item
    /// test) the assets are catalog entries whose reps are copies of the first ones: the review only ever reads reps.
    /// </summary>
    public static TestLibrary Create(IReadOnlyList<double> scores, double minScore)
    {
        var lib = new TestLibrary(Path.Combine(Path.GetTempPath(), "mt-review-" + Guid.NewGuid().ToString("N")[..8]));
        Directory.CreateDirectory(lib.Root);
        Directory.CreateDirectory(lib.Library.RepsPath);
        var photos = TestEnvironment.Photos(Math.Min(scores.Count, 12));
        var renderedReps = new List<string>();
        for (var i = 0; i < scores.Count; i++)
        {
            MediaAsset asset;
            if (i < photos.Count)
            {
                var source = photos[i];
                var file = Path.Combine(lib.Root, "photos", PhotoName(source));
                Directory.CreateDirectory(Path.GetDirectoryName(file)!);
                File.Copy(source, file);
                var info = new FileInfo(file);
                asset = MediaAsset.Create(lib.Library, file, MediaType.Image, info.Length, info.LastWriteTimeUtc);
                var rep = Path.Combine(lib.Library.RepsPath, RepInfo.FileName(asset.Id));
                Render(file, rep);
                renderedReps.Add(rep);
            }
            else
            {
                var file = Path.Combine(lib.Root, "bulk", $"img{i:D5}.jpg");
                asset = MediaAsset.Create(lib.Library, file, MediaType.Image, 1, DateTime.UtcNow);
                File.Copy(renderedReps[i % renderedReps.Count], Path.Combine(lib.Library.RepsPath, RepInfo.FileName(asset.Id)));
            }
            lib.Assets.Add(asset);
        }
        AssetCatalog.Update(lib.Library, catalog =>
        {
            foreach (var a in lib.Assets) catalog.Set(a);
            return true;
        });
        RepIndex.Record(lib.Library, lib.Assets.Select(a =>
            (a.Id, new RepInfo { SourceLength = a.Length, SourceModifiedUtc = a.LastWriteTimeUtc, Frames = 1, Size = RepSize, Width = RepSize, Height = RepSize })));
        lib.Query = new QueryRecord
        {
            Kind = "similar",
            Library = lib.Root,
            Model = "test-model",
            Anchors = [Path.Combine(lib.Root, "teddy.jpg")],
            K = scores.Count,
            MinScore = minScore,
            Results = lib.Assets.Select((a, i) => new QueryResultItem
            {
                Id = a.Id,
                Path = a.Path,
                RelativePath = a.RelativePath,
                Type = "image",
                Score = scores[i],
                Rank = i + 1,
                BestAnchor = Path.Combine(lib.Root, "teddy.jpg"),
            }).ToList(),
        };
        Json.Write(lib.Library.LastQueryFile, lib.Query);
        return lib;
    }

    /// <summary>The review files written so far.</summary>
    public string[] ReviewFiles => Directory.Exists(Library.ReviewsPath) ? Directory.GetFiles(Library.ReviewsPath, "*.json") : [];

    /// <summary>PowerShell single-quoted literal of a path.</summary>
    public static string Quote(string s) => "'" + s.Replace("'", "''") + "'";

    /// <summary>"Autumn.jpg" for a wallpaper (whose files are named by size), the file name otherwise.</summary>
    static string PhotoName(string source)
    {
        var images = Path.GetDirectoryName(source)!;
        return Path.GetFileName(images) == "images"
            ? Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(images)))! + Path.GetExtension(source)
            : Path.GetFileName(source);
    }

    static void Render(string source, string target)
    {
        var psi = new ProcessStartInfo("convert") { RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { source + "[0]", "-auto-orient", "-resize", $"{RepSize}x{RepSize}", "-quality", "85", target }) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0 || !File.Exists(target)) throw new InvalidOperationException($"ImageMagick could not render {source}: {err}");
    }

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
