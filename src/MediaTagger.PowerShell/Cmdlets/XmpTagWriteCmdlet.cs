using System.Management.Automation;
using MediaTagger.PowerShell.Completers;

namespace MediaTagger.PowerShell.Cmdlets;

/// <summary>
/// The parameters Set-MediaXmpTag and Remove-MediaXmpTag share: which tags (-Tag, or -Profile with -Label), the
/// library whose journal records the write, and -PassThru.
/// </summary>
/// <remarks>
/// -Library/-StorePath repeat <see cref="LibraryCmdlet"/>'s declaration because C# has one base class and these
/// commands need <see cref="XmpTagCmdlet"/>'s input handling, which Get-MediaXmpTag (no library) shares.
/// </remarks>
public abstract class XmpTagWriteCmdlet : XmpTagCmdlet
{
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Tag { get; set; }

    [Parameter]
    [ArgumentCompleter(typeof(ProfileNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string? Profile { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Label { get; set; }

    /// <summary>The library whose journal records the write (undo with Undo-MediaXmpTag); else the one holding each file.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Library { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? StorePath { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }
}
