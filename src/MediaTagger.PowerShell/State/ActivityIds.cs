namespace MediaTagger.PowerShell.State;

/// <summary>Fixed Write-Progress activity ids, one per stage, so nested and repeated progress bars replace each other.</summary>
static class ActivityIds
{
    public const int Scan = 7301;
    public const int Reps = 7302;
    public const int Embeddings = 7303;
    public const int ModelDownload = 7304;
    public const int Search = 7305;
    public const int Review = 7306;
    public const int Tags = 7307;
    public const int StoreMaintenance = 7308;
    public const int Faces = 7309;
    public const int Subjects = 7310;
}
