using System.Management.Automation;
using MediaTagger.Core.Subjects;
using MediaTagger.PowerShell.Completers;
using MediaTagger.PowerShell.State;

namespace MediaTagger.PowerShell.Cmdlets;

/// <summary>
/// Trains a subject and reports where teaching it stands: how it ranks, estimated precision and recall at a probability
/// threshold (cross-validated on its decisions), the expected number of positives not reviewed yet, and whether it is probably done.
/// </summary>
[Cmdlet(VerbsDiagnostic.Measure, "MediaSubject")]
[OutputType(typeof(SubjectStatus))]
public sealed class MeasureMediaSubjectCommand : SubjectCmdlet
{
    const string Activity = "Measuring a subject";

    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(SubjectNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = [];

    [Parameter]
    [ArgumentCompleter(typeof(ModelNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string? Model { get; set; }

    [Parameter]
    [ValidateRange(0.0, 1.0)]
    public double Threshold { get; set; } = 0.5;

    protected override void ProcessRecord()
    {
        var library = ResolveSubjectLibrary();
        foreach (var name in Name)
        {
            var session = OpenSession(library, name, Model);
            ReportProgress(ActivityIds.Subjects, Activity, $"Training '{name}'", 0, 0, force: true);
            var status = RunSubject(session, name, state =>
            {
                ReportMissing(state);
                return state.Status(Threshold, state.NextBatch(1, StopToken).EstimatedRemaining);
            });
            CompleteProgress(ActivityIds.Subjects, Activity);
            WriteObject(status);
        }
    }
}
