using System.Management.Automation;
using MediaTagger.Core.Common;
using MediaTagger.Core.Library;
using MediaTagger.Core.Review;
using MediaTagger.Core.Search;
using MediaTagger.Core.Subjects;
using MediaTagger.PowerShell.Completers;

namespace MediaTagger.PowerShell.Cmdlets;

/// <summary>
/// Records a person's decisions for a subject without the review page: each piped asset is approved or rejected
/// (-Decision, else the Approved a review set on it). Saved as one review of the library, like a page review.
/// </summary>
[Cmdlet(VerbsCommon.Add, "MediaSubjectDecision", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(MediaAsset))]
public sealed class AddMediaSubjectDecisionCommand : SubjectCmdlet
{
    readonly List<SubjectDecision> _decisions = [];

    [Parameter(Mandatory = true, Position = 0)]
    [ArgumentCompleter(typeof(SubjectNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string Subject { get; set; } = "";

    [Parameter(Mandatory = true, ValueFromPipeline = true)]
    [ValidateNotNull]
    public MediaAsset[] InputObject { get; set; } = [];

    [Parameter]
    [ValidateSet("Approved", "Rejected", IgnoreCase = true)]
    public string? Decision { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        foreach (var asset in InputObject)
        {
            bool? approved = Decision is null ? (asset as IReviewed)?.Approved : Decision.Equals("Approved", StringComparison.OrdinalIgnoreCase);
            if (approved is null)
            {
                WriteItemError(new ItemError(ErrorIds.SubjectNoExamples,
                    $"'{asset.Path}' carries no decision: pass -Decision Approved or -Decision Rejected, or pipe the output of Invoke-MediaReview -IncludeRejected.",
                    asset, ErrorKind.InvalidArgument));
                continue;
            }
            var match = asset as MediaMatch;
            _decisions.Add(new SubjectDecision(asset, approved.Value, match?.Score, match?.Rank, asset.Type == MediaType.Video ? match?.BestFrame : null));
        }
    }

    protected override void EndProcessing()
    {
        if (_decisions.Count == 0) return;
        var library = ResolveSubjectLibrary(_decisions[0].Asset);
        Subject subject = null!;
        try { subject = SubjectStore.Get(library, Subject); }
        catch (MediaTaggerException ex) { ThrowTerminating(ex); }
        var approved = _decisions.Count(d => d.Approved);
        if (!ShouldProcess(library.ReviewsPath, $"Record {approved} approved and {_decisions.Count - approved} rejected item(s) for '{subject.Name}'")) return;
        try
        {
            // Matches of one search share their model (Find-MediaSubject sets it): it goes into the tags' provenance.
            var models = _decisions.Select(d => (d.Asset as MediaMatch)?.Model).Distinct().ToList();
            var file = SubjectDecisions.Record(library, subject, _decisions, "cmdlet", model: models is [{ Length: > 0 } m] ? m : null);
            WriteVerbose($"Decisions recorded in {file}");
        }
        catch (MediaTaggerException ex) { ThrowTerminating(ex); }
        if (PassThru) foreach (var d in _decisions) WriteObject(d.Asset);
    }
}
