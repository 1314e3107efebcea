using System.Text.Json;

namespace MediaTagger.Review.Tests;

/// <summary>Where the built module, the real pwsh and the test photos are.</summary>
static class TestEnvironment
{
    /// <summary>The repository root (the folder holding MediaTagger.sln).</summary>
    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>The built module: MEDIATAGGER_MODULE (set by build.ps1), else output/MediaTagger.</summary>
    public static string ModulePath
    {
        get
        {
            var path = Environment.GetEnvironmentVariable("MEDIATAGGER_MODULE") is { Length: > 0 } m ? m : Path.Combine(RepoRoot, "output", "MediaTagger");
            if (!File.Exists(Path.Combine(path, "MediaTagger.psd1")))
                throw new InvalidOperationException($"The module is not built at '{path}': run 'dotnet pwsh ./build.ps1 Build' first.");
            return path;
        }
    }

    /// <summary>Where tests leave artefacts worth looking at (the screenshot).</summary>
    public static string ResultsDirectory =>
        Directory.CreateDirectory(Environment.GetEnvironmentVariable("MEDIATAGGER_TEST_RESULTS") is { Length: > 0 } r ? r : Path.Combine(RepoRoot, "output", "test-results")).FullName;

    /// <summary>
    /// The command line of the real pwsh: "dotnet &lt;pwsh.dll&gt;" of the PowerShell local tool. The tool's own
    /// launcher starts pwsh as a child, which a kill of the launcher would leave running (with its port open).
    /// </summary>
    public static string[] PwshCommand
    {
        get
        {
            if (Environment.GetEnvironmentVariable("MEDIATAGGER_PWSH") is { Length: > 0 } set) return set.Split('|');
            using var tools = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoRoot, ".config", "dotnet-tools.json")));
            var version = tools.RootElement.GetProperty("tools").GetProperty("powershell").GetProperty("version").GetString()!;
            var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } p ? p
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
            var tool = Path.Combine(packages, "powershell", version, "tools");
            var dll = Directory.Exists(tool)
                ? Directory.EnumerateFiles(tool, "pwsh.dll", SearchOption.AllDirectories)
                    .FirstOrDefault(f => f.Contains(Path.DirectorySeparatorChar + (OperatingSystem.IsWindows() ? "win" : "unix") + Path.DirectorySeparatorChar))
                : null;
            if (dll is null) throw new InvalidOperationException($"PowerShell {version} is not restored under '{tool}': run 'dotnet tool restore'.");
            return ["dotnet", dll];
        }
    }

    /// <summary>Real photographs from Debian packages, one per distinct picture.</summary>
    public static List<string> Photos(int count)
    {
        var photos = new List<string>();
        if (Directory.Exists("/usr/share/wallpapers"))
        {
            foreach (var dir in Directory.EnumerateDirectories("/usr/share/wallpapers").Order(StringComparer.Ordinal))
            {
                var images = Path.Combine(dir, "contents", "images");
                if (!Directory.Exists(images)) continue;
                // The packages link several sizes to one file: pick the smallest real one.
                var smallest = Directory.EnumerateFiles(images)
                    .Where(f => f.EndsWith(".jpg", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".png", StringComparison.OrdinalIgnoreCase))
                    .Select(f => new FileInfo(f))
                    .Select(f => (f.FullName, Length: f.LinkTarget is null ? f.Length : new FileInfo(f.ResolveLinkTarget(true)!.FullName).Length))
                    .OrderBy(f => f.Length).FirstOrDefault();
                if (smallest.FullName is not null) photos.Add(smallest.FullName);
            }
        }
        foreach (var name in new[] { "chelsea.png", "coffee.png", "astronaut.png", "rocket.jpg", "motorcycle_left.png" })
        {
            var path = Path.Combine("/usr/lib/python3/dist-packages/skimage/data", name);
            if (File.Exists(path)) photos.Add(path);
        }
        if (photos.Count < count) throw new InvalidOperationException($"Need {count} test photographs, found {photos.Count}: install plasma-workspace-wallpapers and python3-skimage.");
        return photos.Take(count).ToList();
    }

    static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "MediaTagger.sln"))) return dir.FullName;
        throw new InvalidOperationException("Cannot find the repository root (MediaTagger.sln) above " + AppContext.BaseDirectory);
    }
}
