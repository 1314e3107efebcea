namespace MediaTagger.Core.Tests.Embeddings;

/// <summary>
/// A fact that needs ../shared (the CLIP reference data beside the project, never copied into it): skipped with a
/// clear message where that folder is absent.
/// </summary>
public sealed class SharedDataFactAttribute : FactAttribute
{
    public SharedDataFactAttribute()
    {
        if (SharedData.Folder is null)
            Skip = "../shared/clip-tokenizer (CLIP vocabulary with reference token ids) is not beside the project root: tokenizer parity not checked.";
    }
}

static class SharedData
{
    /// <summary>../shared/clip-tokenizer relative to the repository root, or null.</summary>
    public static string? Folder
    {
        get
        {
            var root = RepoRoot;
            var folder = root is null ? null : Path.GetFullPath(Path.Combine(root, "..", "shared", "clip-tokenizer"));
            return folder is not null && File.Exists(Path.Combine(folder, "ref_ids.json")) ? folder : null;
        }
    }

    /// <summary>The repository root (the folder holding MediaTagger.sln), found upwards from the test binaries.</summary>
    public static string? RepoRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "MediaTagger.sln"))) return dir.FullName;
            return null;
        }
    }
}
