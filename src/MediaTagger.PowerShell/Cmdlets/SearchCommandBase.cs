using System.Collections.Concurrent;
using System.Management.Automation;
using MediaTagger.Core.Common;
using MediaTagger.Core.Library;
using MediaTagger.Core.Models;
using MediaTagger.Core.Profiles;
using MediaTagger.Core.Review;
using MediaTagger.Core.Search;
using MediaTagger.Core.Store;
using MediaTagger.Core.Xmp;
using MediaTagger.PowerShell.Completers;
using MediaTagger.PowerShell.State;

namespace MediaTagger.PowerShell.Cmdlets;

/// <summary>
/// Parameters and plumbing shared by Find-SimilarMedia and Find-MediaByText: library, model, profile, K/MinScore,
/// -OutFile; the resident store cache; saving last_query.json; writing the matches.
/// </summary>
public abstract class SearchCommandBase : LibraryCmdlet
{
    protected const string Activity = "Searching media";


    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ModelNameCompleter))]
    public string? Model { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ProfileNameCompleter))]
    public string? Profile { get; set; }

    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int K { get; set; }

    [Parameter]
    [ValidateRange(-1.0, 1.0)]
    public double MinScore { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? OutFile { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[] ExcludeTag { get; set; } = [];

    [Parameter]
    public SwitchParameter ExcludeReviewed { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ReviewLabel { get; set; }

    /// <summary>
    /// The checks of the session's last store and model, started when PowerShell creates the command, so they run on
    /// another core while it binds the parameters (see <see cref="QueryReadAhead"/>); used by a search that starts its pipeline.
    /// </summary>
    readonly QueryReadAhead? _readAhead = ModuleState.LastSearch is { } last ? QueryReadAhead.Start(last.Folder, last.Model, SearchModels.Open) : null;

    /// <summary>Sidecar problems met while filtering on worker threads; written once the query is done.</summary>
    readonly ConcurrentQueue<ItemError> _filterErrors = new();

    /// <summary>
    /// -ExcludeTag and -ExcludeReviewed as one filter, asked only for candidates that would make the top K:
    /// items whose sidecar already has one of the tags (or a tag below it), and items whose latest review decision,
    /// for -ReviewLabel or else for this same question, was a rejection.
    /// </summary>
    Func<MediaAsset, bool>? CreateFilter(MediaLibrary library, QueryRecord question)
    {
        var rejected = ExcludeReviewed ? ReviewHistory.RejectedIds(library, ReviewLabel, ReviewLabel is null ? question : null, WriteItemError) : null;
        var tags = ExcludeTag;
        if (rejected is null && tags.Length == 0) return null;
        return asset => (rejected is null || !rejected.Contains(asset.Id))
            && (tags.Length == 0 || !XmpTagReader.HasAnyTag(asset.Path, tags, _filterErrors.Enqueue));
    }

    /// <summary>The query for the resolved library, model and profile, with K/MinScore only when given (else the profile's).</summary>
    protected MediaQuery CreateQuery(MediaLibrary library, Func<MediaProfile?, QueryRecord> question)
    {
        MediaProfile? profile = null;
        try
        {
            if (Profile is not null) profile = ModelSessions.GetProfile(ResolveProfile(Profile));
        }
        catch (MediaTaggerException ex) { ThrowTerminating(ex); }
        string model = null!;
        try { model = SearchModels.Resolve(library, Model ?? profile?.Model); }
        catch (MediaTaggerException ex) { ThrowTerminating(ex); }
        ModuleState.LastSearch = new SearchTarget(EmbeddingStore.FolderFor(library, model), model);
        return new MediaQuery
        {
            Library = library,
            Model = model,
            Profile = profile,
            K = MyInvocation.BoundParameters.ContainsKey(nameof(K)) ? K : null,
            MinScore = MyInvocation.BoundParameters.ContainsKey(nameof(MinScore)) ? MinScore : null,
            OpenModel = SearchModels.Open,
            // Only for a search that starts its pipeline: PowerShell creates every command of a pipeline before any runs,
            // so a command before this one could change the store after the checks were read.
            ReadAhead = MyInvocation.PipelinePosition == 1 ? _readAhead : null,
            Slots = location => ModuleState.GetOrAdd("search-store:" + location.Folder, () => new ResidentStoreSlot(location)),
            Include = CreateFilter(library, question(profile)),
            OnWarning = WriteWarning,
        };
    }

    /// <summary>
    /// Runs the query on this thread (the scan itself is parallel), saves it and writes the matches.
    /// <paramref name="question"/> names what is asked (kind, anchors, prompts) for -ExcludeReviewed.
    /// </summary>
    protected void Execute(MediaLibrary library, Func<MediaProfile?, QueryRecord> question, Func<MediaQuery, QueryOutcome> run)
    {
        var query = CreateQuery(library, question);
        string? namedFile = null;
        // A bare name is saved beside the library's last query; anything with a folder in it is a path from here.
        try { namedFile = OutFile is null ? null : QueryFiles.PathFor(library, OutFile.IndexOfAny(['/', '\\']) < 0 ? OutFile : ResolvePath(OutFile)); }
        catch (MediaTaggerException ex) { ThrowTerminating(ex); }
        // Asked before the search, so that the file replacing last_query.json is created on another core while this one
        // searches: creating a file is most of the system time of saving a warm query's results.
        var save = ShouldProcess(namedFile is null ? library.LastQueryFile : $"{library.LastQueryFile} and {namedFile}", "Save the query results");
        var lastFile = save ? Task.Run(() => QueryFiles.PrepareLast(library)) : null;
        try
        {
            ReportProgress(ActivityIds.Search, Activity, $"Searching the '{query.Model}' embeddings of {library.Root}", 0, 0, force: true);
            QueryOutcome outcome;
            try
            {
                outcome = run(query);
            }
            catch (OperationCanceledException) when (StopToken.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
            catch (MediaTaggerException ex)
            {
                CompleteProgress(ActivityIds.Search, Activity);
                ThrowTerminating(ex);
                return;
            }
            CompleteProgress(ActivityIds.Search, Activity);
            while (_filterErrors.TryDequeue(out var filterError)) WriteItemError(filterError);
            if (lastFile is not null)
            {
                try { QueryFiles.Write(library, outcome.Record, namedFile, lastFile.GetAwaiter().GetResult()); }
                catch (MediaTaggerException ex) { WriteItemError(ex.ToItemError()); }
            }
            WriteVerbose($"{outcome.Matches.Count} matches (K {outcome.Record.K}, MinScore {outcome.Record.MinScore}) with the model '{query.Model}'.");
            if (outcome.Matches.Count == 0)
                // Silence would look like a hang or a crash: say what was searched and what to try.
                WriteInformation(new HostInformationMessage
                {
                    Message = $"No matches with a score of at least {outcome.Record.MinScore} among the '{query.Model}' embeddings of {library.Root}."
                        + " Lower -MinScore (e.g. -MinScore 0), or check that Add-MediaEmbedding has indexed the library.",
                }, ["PSHOST", "MediaTagger", "Search"]);
            foreach (var match in outcome.Matches) WriteObject(match);
        }
        finally
        {
            // Not saved (a failed or stopped query): the prepared file goes. After a save, disposing it does nothing.
            if (lastFile is not null)
                try { lastFile.GetAwaiter().GetResult().Dispose(); }
                catch (MediaTaggerException) { } // it could not be created: already reported, or the query failed first
        }
    }
}
