using System.Management.Automation;
using MediaTagger.Core.Common;
using MediaTagger.Core.Library;
using MediaTagger.Core.Review;
using MediaTagger.Core.Search;
using MediaTagger.Core.Subjects;
using MediaTagger.PowerShell.Completers;
using MediaTagger.PowerShell.State;

namespace MediaTagger.PowerShell.Cmdlets;

/// <summary>
/// Shows candidates on a local page (or in Out-GridView) for a person to approve, and emits the approved objects,
/// like Out-GridView -PassThru. Every decision is recorded in the library's data/reviews.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "MediaReview", DefaultParameterSetName = PageSet)]
// A copy of each object that came in with the decision: ReviewedMatch for search results, ReviewedAsset otherwise.
[OutputType(typeof(ReviewedMatch), typeof(ReviewedAsset))]
public sealed class InvokeMediaReviewCommand : LibraryCmdlet
{
    const string PageSet = "Page";
    const string GridViewSet = "GridView";
    const string Activity = "Reviewing candidates";

    readonly List<MediaAsset> _input = [];

    [Parameter(ValueFromPipeline = true)]
    public MediaAsset[]? InputObject { get; set; }


    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Label { get; set; }

    /// <summary>Candidates scoring at least this start ticked; without it (or a profile's review.preselect) none does.</summary>
    [Parameter]
    [Alias("Threshold")]
    [ValidateRange(-1.0, 1.0)]
    public double? Preselect { get; set; }

    /// <summary>The profile whose review.preselect applies; default: the profile the query ran with.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(Completers.ProfileNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string? Profile { get; set; }

    [Parameter]
    public SwitchParameter IncludeRejected { get; set; }

    [Parameter(ParameterSetName = PageSet)]
    [ValidateRange(0, 65535)]
    public int Port { get; set; }

    [Parameter(ParameterSetName = PageSet)]
    public SwitchParameter NoBrowser { get; set; }

    /// <summary>Seconds; like Wait-Job -Timeout.</summary>
    [Parameter(ParameterSetName = PageSet)]
    [ValidateRange(1, int.MaxValue)]
    public int Timeout { get; set; }

    [Parameter(ParameterSetName = GridViewSet, Mandatory = true)]
    public SwitchParameter UseGridView { get; set; }

    protected override void ProcessRecord()
    {
        foreach (var a in InputObject ?? []) if (a is not null) _input.Add(a);
    }

    /// <summary>Reviews for a subject: piped items are recorded for it; without input, active rounds of its next candidates.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(SubjectNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string? Subject { get; set; }

    /// <summary>With -Subject: candidates per round.</summary>
    [Parameter]
    [ValidateRange(1, 1000)]
    public int BatchSize { get; set; } = 24;

    /// <summary>With -Subject: rounds to review before returning (it stops early when probably done).</summary>
    [Parameter]
    [ValidateRange(1, 1000)]
    public int Rounds { get; set; } = 1;

    /// <summary>With -Subject: the model whose embeddings rank the candidates.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(ModelNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string? Model { get; set; }

    protected override void EndProcessing()
    {
        if (Subject is not null && _input.Count == 0)
        {
            ReviewSubjectRounds();
            return;
        }
        var (assets, query) = Candidates();
        if (assets.Count == 0)
        {
            WriteWarning("Nothing to review: no candidates.");
            return;
        }
        var label = Label;
        if (Subject is not null)
        {
            try { label = SubjectStore.Get(ResolveLibrary(Library, StorePath, assets[0]), Subject).Name; }
            catch (MediaTaggerException ex) { ThrowTerminating(ex); }
        }
        var (preselect, source) = PreselectFor(query);
        var session = new ReviewSession(assets, query, label, preselect, source);
        WriteVerbose(preselect is { } p
            ? $"{session.Items.Count(session.IsPreselected):N0} of {assets.Count:N0} start ticked: score at least {p:0.###} ({source})."
            : "Nothing starts ticked: no preselect threshold (-Preselect, or a profile's review.preselect).");
        Conclude(session, UseGridView ? ReviewInGridView(session) : ReviewOnPage(session));
    }

    /// <summary>
    /// Active review: each round shows the subject's next batch (never anything decided), records the decisions, retrains
    /// and reports what was approved, what is probably left and whether it is probably done.
    /// </summary>
    void ReviewSubjectRounds()
    {
        var library = ResolveLibrary(Library, StorePath);
        SubjectSession subjects = null!;
        try { subjects = SubjectSessions.Open(library, Subject!, Model); }
        catch (MediaTaggerException ex) { ThrowTerminating(ex); }
        for (var round = 1; round <= Rounds; round++)
        {
            var (batch, before, query) = RunSubject(subjects, state =>
            {
                var next = state.NextBatch(BatchSize, StopToken);
                return (next.Items.Select((c, i) => state.ToMatch(c, i + 1)).ToList(), state.Status(0.5, next.EstimatedRemaining), state.Query(BatchSize));
            });
            if (batch.Count == 0)
            {
                WriteWarning($"Nothing left to review for '{before.Subject}': every embedded item has been decided.");
                return;
            }
            // Nothing starts ticked unless -Preselect says so: a round's answers teach the subject, so each must be the person's.
            // The round's question goes into the review record: its model and what the scores measured become the tags' provenance.
            var session = new ReviewSession(batch.Cast<MediaAsset>().ToList(), query, before.Subject, Preselect, Preselect is null ? null : "-Preselect");
            session.Options.Title = $"{before.Subject}: round {before.Rounds + 1}";
            session.Options.Round = before.ForPage();
            if (!Conclude(session, UseGridView ? ReviewInGridView(session) : ReviewOnPage(session))) return;
            var after = RunSubject(subjects, state => state.Status(0.5, state.NextBatch(1, StopToken).EstimatedRemaining));
            WriteInformation(new HostInformationMessage
            {
                Message = $"{after.Subject}, round {after.Rounds}: {after.LastRoundApproved} of {after.LastRoundSize} approved; {after.Approved} approved in all" +
                          (after.EstimatedUnreviewed is { } remaining ? $"; about {remaining:0.#} positives still unreviewed." : ".") +
                          (after.ProbablyDone ? " Probably done." : ""),
            }, ["PSHOST", "MediaTagger", "Review"]);
            if (after.ProbablyDone) return;
        }
    }

    T RunSubject<T>(SubjectSession subjects, Func<SubjectState, T> work)
    {
        try { return subjects.Run(Subject!, work, WriteItemError, StopToken); }
        catch (OperationCanceledException) when (StopToken.IsCancellationRequested) { throw new PipelineStoppedException(); }
        catch (MediaTaggerException ex) { ThrowTerminating(ex); return default!; }
    }

    /// <summary>Records an applied review and writes the approved objects; false when it was not applied.</summary>
    bool Conclude(ReviewSession session, ReviewResult result)
    {
        var count = session.Items.Count;
        switch (result.End)
        {
            case ReviewEnd.Stopped:
                throw new PipelineStoppedException();
            case ReviewEnd.Cancelled:
                WriteWarning("Review cancelled: nothing was approved.");
                return false;
            case ReviewEnd.TimedOut:
                WriteWarning($"The review timed out after {Timeout} s: nothing was approved.");
                return false;
        }

        foreach (var file in session.Save(result, UseGridView ? "gridView" : "page", WriteItemError))
            WriteVerbose($"Decisions recorded in {file}");
        WriteInformation($"{result.ApprovedCount:N0} of {count:N0} approved.", ["MediaTagger", "Review"]);
        foreach (var item in session.Items)
        {
            var approved = result.Approved[item.Index];
            if (!approved && !IncludeRejected) continue;
            WriteObject(ReviewedAsset.Of(item.Asset, approved));
        }
        return true;
    }

    /// <summary>-Preselect, else the review.preselect of -Profile or of the profile the query ran with, else none.</summary>
    (double?, string?) PreselectFor(QueryRecord? query)
    {
        if (Preselect is { } given) return (given, "-Preselect");
        var name = Profile ?? query?.Profile;
        if (name is null) return (null, null);
        try
        {
            var profile = ModuleProfiles.Store.Get(name);
            return profile.Review?.Preselect is { } p ? (p, $"review.preselect of the profile '{profile.Name}'") : (null, null);
        }
        catch (MediaTaggerException ex) when (Profile is null)
        {
            // The query's profile may since have been renamed or removed: review without it.
            WriteVerbose(ex.Message);
            return (null, null);
        }
        catch (MediaTaggerException ex)
        {
            ThrowTerminating(ex);
            return (null, null);
        }
    }

    /// <summary>The piped objects, else the last query of the library.</summary>
    (List<MediaAsset>, QueryRecord?) Candidates()
    {
        if (_input.Count > 0) return (_input, ReviewInput.QueryOf(_input));
        // An empty pipeline (a filter let nothing through) is nothing to review, not "the last query again".
        if (MyInvocation.ExpectingInput) return ([], null);
        var library = ResolveLibrary(Library, StorePath);
        try
        {
            var (query, matches) = ReviewInput.LoadLastQuery(library);
            return (matches.Cast<MediaAsset>().ToList(), query);
        }
        catch (MediaTaggerException ex)
        {
            ThrowTerminating(ex);
            return ([], null);
        }
    }

    ReviewResult ReviewOnPage(ReviewSession session)
    {
        if (session.WithoutRepCount > 0)
            WriteWarning($"{session.WithoutRepCount:N0} of {session.Items.Count:N0} items have no representative image yet and are shown by name only; run New-MediaRep to render them.");
        ReviewServer server;
        try { server = session.Serve(Port); }
        catch (MediaTaggerException ex) { ThrowTerminating(ex); return null!; }
        using (server)
        {
            var opened = !NoBrowser && BrowserLauncher.TryOpen(server.Url);
            if (!NoBrowser && !opened) WriteWarning("No web browser could be opened here; open the address below yourself.");
            // Printed like Write-Host: for -NoBrowser (SSH with port forwarding) this line is the way in.
            WriteInformation(new HostInformationMessage { Message = $"Review {session.Items.Count:N0} items at {server.Url}" }, ["PSHOST"]);
            var status = $"Waiting for Apply or Cancel at {server.Url} (Ctrl+C stops and approves nothing)";
            TimeSpan? timeout = Timeout > 0 ? TimeSpan.FromSeconds(Timeout) : null;
            var result = server.Wait(timeout, StopToken, elapsed =>
            {
                var percent = timeout is { } t ? (int)(100 * elapsed.TotalSeconds / t.TotalSeconds) : 0;
                ReportProgress(ActivityIds.Review, Activity, status, percent, timeout is null ? 0 : 100, force: true);
            });
            CompleteProgress(ActivityIds.Review, Activity);
            return result;
        }
    }

    /// <summary>Out-GridView -PassThru over a text view of the candidates (Windows only: it needs a desktop).</summary>
    ReviewResult ReviewInGridView(ReviewSession session)
    {
        if (!OperatingSystem.IsWindows() || InvokeCommand.GetCommand("Out-GridView", CommandTypes.Cmdlet | CommandTypes.Function) is null)
        {
            ThrowTerminating(new MediaTaggerException(ErrorIds.ReviewGridViewUnavailable,
                "-UseGridView needs Out-GridView, which only Windows PowerShell desktops have. Leave -UseGridView out to review on the page in your browser.",
                ErrorKind.NotInstalled));
        }
        var rows = session.Items
            .OrderByDescending(i => i.Score ?? double.MinValue).ThenBy(i => i.Index)
            .Select(i =>
            {
                var row = new PSObject();
                row.Properties.Add(new PSNoteProperty("Index", i.Index));
                row.Properties.Add(new PSNoteProperty("Score", i.Score is { } s ? Math.Round(s, 3) : null));
                row.Properties.Add(new PSNoteProperty("Name", i.Asset.Name));
                row.Properties.Add(new PSNoteProperty("Type", i.Asset.Type));
                row.Properties.Add(new PSNoteProperty("RelativePath", i.Asset.RelativePath));
                return row;
            }).ToList();
        var picked = InvokeCommand.NewScriptBlock("param($rows, $title) $rows | Out-GridView -PassThru -Title $title")
            .Invoke(rows, session.Options.Title);
        // Out-GridView's Cancel and an OK with nothing selected both return nothing: treat both as a cancel, so
        // a closed window never records every candidate as rejected.
        if (picked.Count == 0) return ReviewResult.Nothing(ReviewEnd.Cancelled, session.Items.Count);
        var approved = new bool[session.Items.Count];
        foreach (var p in picked) approved[(int)p.Properties["Index"].Value] = true;
        return new ReviewResult(ReviewEnd.Applied, approved, session.Options.Preselect);
    }
}
