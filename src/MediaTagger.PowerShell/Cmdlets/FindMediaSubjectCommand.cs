using System.Management.Automation;
using MediaTagger.Core.Search;
using MediaTagger.Core.Subjects;
using MediaTagger.PowerShell.Completers;
using MediaTagger.PowerShell.State;

namespace MediaTagger.PowerShell.Cmdlets;

/// <summary>
/// Ranks the library for a subject, best first: by the learned probability once there are enough decisions, else by
/// similarity to its positive examples. Items already decided are left out unless -IncludeDecided; -Next gives the
/// batch an active review round would show.
/// </summary>
[Cmdlet(VerbsCommon.Find, "MediaSubject", DefaultParameterSetName = RankSet)]
[OutputType(typeof(MediaMatch))]
public sealed class FindMediaSubjectCommand : SubjectCmdlet
{
    const string RankSet = "Rank";
    const string NextSet = "Next";
    const string Activity = "Ranking for a subject";

    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(SubjectNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "";

    [Parameter]
    [ArgumentCompleter(typeof(ModelNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string? Model { get; set; }

    [Parameter(ParameterSetName = RankSet)]
    [ValidateRange(1, int.MaxValue)]
    public int K { get; set; } = 100;

    /// <summary>Leaves out items scoring below this (a probability once the subject has learned).</summary>
    [Parameter(ParameterSetName = RankSet)]
    [ValidateRange(-1.0, 1.0)]
    public double MinScore { get; set; } = -1;

    [Parameter(ParameterSetName = RankSet)]
    public SwitchParameter IncludeDecided { get; set; }

    [Parameter(ParameterSetName = NextSet, Mandatory = true)]
    public SwitchParameter Next { get; set; }

    [Parameter(ParameterSetName = NextSet)]
    [ValidateRange(1, 1000)]
    public int BatchSize { get; set; } = 24;

    protected override void ProcessRecord()
    {
        var library = ResolveSubjectLibrary();
        var session = OpenSession(library, Name, Model);
        ReportProgress(ActivityIds.Subjects, Activity, $"Training '{Name}' and ranking the '{session.Model}' embeddings of {library.Root}", 0, 0, force: true);
        var matches = RunSubject(session, Name, state =>
        {
            ReportMissing(state);
            var ranked = Next
                ? state.NextBatch(BatchSize, StopToken).Items
                : state.Rank(K, IncludeDecided, StopToken);
            WriteVerbose($"'{state.Subject.Name}' ranks by {state.Ranker.Mode} ({state.Ranker.Vectors.Positives.Count} positive, {state.Ranker.Vectors.Negatives.Count} negative vectors" +
                         (state.Ranker.Classifier is { } c ? $", trained in {c.TrainingTime.TotalMilliseconds:0} ms)" : ")"));
            return ranked.Where(c => Next || c.Value >= MinScore).Select((c, i) => state.ToMatch(c, i + 1)).ToList();
        });
        CompleteProgress(ActivityIds.Subjects, Activity);
        foreach (var m in matches) WriteObject(m);
    }
}
