using System.Management.Automation;
using MediaTagger.Core.Common;
using MediaTagger.Core.Profiles;
using MediaTagger.PowerShell.Completers;
using MediaTagger.PowerShell.State;

namespace MediaTagger.PowerShell.Cmdlets;

/// <summary>Lists the shipped profiles and the user's own.</summary>
[Cmdlet(VerbsCommon.Get, "MediaTaggerProfile")]
[OutputType(typeof(MediaProfile))]
public sealed class GetMediaTaggerProfileCommand : MediaTaggerCmdlet
{
    [Parameter(Position = 0, ValueFromPipeline = true)]
    [ArgumentCompleter(typeof(ProfileNameCompleter))]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    protected override void ProcessRecord()
    {
        // Only the profiles asked for are read: a broken one reports itself, never spoils a request for another.
        var patterns = Name?.Select(n => new WildcardPattern(n, WildcardOptions.IgnoreCase)).ToList();
        var broken = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var profiles = ModuleProfiles.Store.List(e =>
        {
            broken.Add(System.IO.Path.GetFileNameWithoutExtension(e.Target?.ToString() ?? ""));
            WriteItemError(e);
        }, patterns is null ? null : n => patterns.Any(p => p.IsMatch(n)));
        if (Name is null)
        {
            foreach (var p in profiles) WriteObject(p);
            return;
        }
        foreach (var name in Name)
        {
            var pattern = new WildcardPattern(name, WildcardOptions.IgnoreCase);
            var matches = profiles.Where(p => pattern.IsMatch(p.Name)).ToList();
            if (matches.Count == 0 && !WildcardPattern.ContainsWildcardCharacters(name) && !broken.Contains(name))
            {
                WriteItemError(new ItemError(ErrorIds.ProfileNotFound,
                    $"There is no profile named '{name}'. Known profiles: {string.Join(", ", ModuleProfiles.Store.List().Select(p => p.Name))}. Add your own as a .json file in '{UserPaths.Profiles}'.",
                    name, ErrorKind.ObjectNotFound));
            }
            foreach (var p in matches) WriteObject(p);
        }
    }
}
