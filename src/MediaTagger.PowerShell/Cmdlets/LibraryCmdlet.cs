using System.Management.Automation;

namespace MediaTagger.PowerShell.Cmdlets;

/// <summary>
/// A cmdlet that works on one library: -Library and -StorePath are declared here once, and every command resolves
/// them by the one rule of <see cref="MediaTaggerCmdlet.ResolveLibrary"/>.
/// </summary>
public abstract class LibraryCmdlet : MediaTaggerCmdlet
{
    /// <summary>The library's root folder; without it, the library holding the input, the current folder, or the session's last.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Library { get; set; }

    /// <summary>Where the library's catalog, reps, vectors and journal are kept, when not in its own .mediatagger folder.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? StorePath { get; set; }
}
