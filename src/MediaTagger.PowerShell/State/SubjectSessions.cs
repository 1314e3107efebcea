using MediaTagger.Core.Library;
using MediaTagger.Core.Search;
using MediaTagger.Core.Subjects;

namespace MediaTagger.PowerShell.State;

/// <summary>Opens subjects against the session's resident stores and models (shared by the subject cmdlets and Invoke-MediaReview -Subject).</summary>
public static class SubjectSessions
{
    /// <summary>The session for <paramref name="model"/>, else the subject's profile's model, else the library's only store, else the default model.</summary>
    /// <exception cref="Core.Common.MediaTaggerException">The profile or model cannot be resolved.</exception>
    public static SubjectSession Open(MediaLibrary library, string subjectName, string? model)
    {
        var subject = SubjectStore.Find(library, subjectName);
        var profileModel = subject?.Profile is { } profile ? ModelSessions.GetProfile(profile).Model : null;
        return new SubjectSession
        {
            Library = library,
            // A person ranks on face embeddings: no picture model is involved.
            Model = subject?.Kind == SubjectKind.Person ? SubjectSession.FaceModel : SearchModels.Resolve(library, model ?? profileModel),
            OpenModel = SearchModels.Open,
            Slots = location => ModuleState.GetOrAdd("search-store:" + location.Folder, () => new ResidentStoreSlot(location)),
        };
    }
}
