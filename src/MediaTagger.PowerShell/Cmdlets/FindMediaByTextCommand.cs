using System.Management.Automation;
using MediaTagger.Core.Search;

namespace MediaTagger.PowerShell.Cmdlets;

/// <summary>Finds the assets that best fit a description ("a photo of a dog"), with a CLIP-family model.</summary>
[Cmdlet(VerbsCommon.Find, "MediaByText", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, DefaultParameterSetName = TextSet)]
[OutputType(typeof(MediaMatch))]
public sealed class FindMediaByTextCommand : SearchCommandBase
{
    const string TextSet = "Text";
    const string LabelSet = "Label";

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = TextSet)]
    [Parameter(ParameterSetName = LabelSet)]
    [ValidateNotNullOrEmpty]
    public string[] Text { get; set; } = [];

    [Parameter(Mandatory = true, ParameterSetName = LabelSet)]
    [ValidateNotNullOrEmpty]
    public string[] Label { get; set; } = [];

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[] NegativeText { get; set; } = [];

    protected override void EndProcessing()
    {
        var library = ResolveLibrary(Library, StorePath);
        // Reviews of a labelled text search are recorded under that label; -ReviewLabel may name another.
        ReviewLabel ??= Label.FirstOrDefault();
        Execute(library, profile => new QueryRecord { Kind = "text", Text = MediaQuery.Prompts(Text, Label, profile) },
            q => q.FindByText(MediaQuery.Prompts(Text, Label, q.Profile), MediaQuery.Prompts(NegativeText, [], null), StopToken));
    }
}
