using MediaTagger.Core.Models;
using MediaTagger.Core.Store;

namespace MediaTagger.Core.Search;

/// <summary>
/// The checks a warm query makes before it reads any row (the store's stamp, the model's), started on another thread
/// for the store and model a query is expected to use, before that query knows its parameters. A warm query's scan
/// takes a few milliseconds and these file-system calls a tenth of one with cold caches, on the query's critical
/// path; read ahead they cost it nothing. A query for another store or model ignores them and checks as usual.
/// The checks still precede every row the query reads; they are only made earlier, once the command has started, so
/// the caller hands them only to a query that nothing of its own could have preceded with a write since (in PowerShell:
/// a search that starts its pipeline, as the commands of a pipeline are all created before the first runs).
/// </summary>
public sealed class QueryReadAhead
{
    readonly string _folder;
    readonly string _model;
    readonly Task<(StoreStamp? Stamp, IEmbeddingModel? Model)> _checks;

    QueryReadAhead(string folder, string model, Func<string, IEmbeddingModel> openModel)
    {
        _folder = folder;
        _model = model;
        // What fails here is left to the query's own attempt, which reports it.
        _checks = Task.Run(() =>
        {
            IEmbeddingModel? opened = null;
            try { opened = openModel(model); }
            catch (Common.MediaTaggerException) { }
            StoreStamp? stamp = null;
            try { stamp = StoreStamp.Read(folder); }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { }
            return (stamp, opened);
        });
    }

    /// <summary>Starts reading the stamp of <paramref name="folder"/> and opening <paramref name="model"/> (a cached session) on a pool thread.</summary>
    public static QueryReadAhead Start(string folder, string model, Func<string, IEmbeddingModel> openModel) => new(folder, model, openModel);

    /// <summary>The stamp read ahead for <paramref name="folder"/>; null for another folder or when it could not be read.</summary>
    public StoreStamp? StampFor(string folder) => folder == _folder ? _checks.GetAwaiter().GetResult().Stamp : null;

    /// <summary>The model opened ahead when it is <paramref name="model"/>; null otherwise (the caller opens it itself).</summary>
    public IEmbeddingModel? ModelFor(string model) => model == _model ? _checks.GetAwaiter().GetResult().Model : null;
}
