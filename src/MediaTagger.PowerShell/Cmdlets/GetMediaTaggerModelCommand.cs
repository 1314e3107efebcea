using System.Management.Automation;
using MediaTagger.Core.Common;
using MediaTagger.Core.Models;
using MediaTagger.PowerShell.Completers;
using MediaTagger.PowerShell.State;

namespace MediaTagger.PowerShell.Cmdlets;

/// <summary>Lists the installed models (and the built-in one), or with -ListAvailable the models the catalog can download.</summary>
[Cmdlet(VerbsCommon.Get, "MediaTaggerModel")]
[OutputType(typeof(ModelInfo))]
public sealed class GetMediaTaggerModelCommand : MediaTaggerCmdlet
{
    [Parameter(Position = 0)]
    [ArgumentCompleter(typeof(ModelNameCompleter))]
    [SupportsWildcards]
    public string[]? Name { get; set; }

    [Parameter]
    public SwitchParameter ListAvailable { get; set; }

    [Parameter]
    [ArgumentCompleter(typeof(ProfileNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string? Profile { get; set; }

    protected override void EndProcessing()
    {
        var registry = ModelSessions.Registry;
        IEnumerable<ModelInfo> models;
        try
        {
            var installed = registry.List(Profile is null ? null : ModelSessions.GetProfile(ResolveProfile(Profile)));
            models = ListAvailable
                ? ModelCatalog.Load().Models.Select(e => installed.FirstOrDefault(m => string.Equals(m.Name, e.Name, StringComparison.OrdinalIgnoreCase)) ?? new ModelInfo
                {
                    Name = e.Name,
                    Kind = "CLIP",
                    Dimension = e.Dimension,
                    SupportsText = true,
                    Source = e.Repo,
                    SizeBytes = e.TotalSize,
                })
                : installed;
        }
        catch (MediaTaggerException ex)
        {
            ThrowTerminating(ex);
            return;
        }
        var patterns = (Name ?? ["*"]).Select(n => new WildcardPattern(n, WildcardOptions.IgnoreCase)).ToList();
        var any = false;
        foreach (var m in models.Where(m => patterns.Any(p => p.IsMatch(m.Name))))
        {
            any = true;
            WriteObject(m);
        }
        if (!any && Name is { Length: > 0 } && !Name.Any(WildcardPattern.ContainsWildcardCharacters))
            WriteItemError(new ItemError(ErrorIds.ModelNotInstalled,
                $"No model named '{string.Join("', '", Name)}' is installed. Install-MediaTaggerModel -Name <name> installs one (Get-MediaTaggerModel -ListAvailable lists them).",
                string.Join(",", Name), ErrorKind.ObjectNotFound));
    }
}
