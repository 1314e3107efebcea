using System.Management.Automation;
using MediaTagger.Core.Common;
using MediaTagger.Core.Library;
using MediaTagger.Core.Subjects;
using MediaTagger.PowerShell.State;

namespace MediaTagger.PowerShell.Cmdlets;

/// <summary>What the subject cmdlets share: -Library/-StorePath, and opening a subject against a model's store.</summary>
public abstract class SubjectCmdlet : LibraryCmdlet
{

    protected MediaLibrary ResolveSubjectLibrary(MediaAsset? asset = null) => ResolveLibrary(Library, StorePath, asset);

    /// <summary>The subject session for <paramref name="model"/> (see <see cref="SubjectSessions.Open"/>).</summary>
    protected SubjectSession OpenSession(MediaLibrary library, string subjectName, string? model)
    {
        try { return SubjectSessions.Open(library, subjectName, model); }
        catch (MediaTaggerException ex) { ThrowTerminating(ex); return null!; }
    }

    /// <summary>Runs <paramref name="work"/> on the trained subject; a failure that stops everything terminates.</summary>
    protected T RunSubject<T>(SubjectSession session, string name, Func<SubjectState, T> work)
    {
        try
        {
            return session.Run(name, work, WriteItemError, StopToken);
        }
        catch (OperationCanceledException) when (StopToken.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
        catch (MediaTaggerException ex)
        {
            ThrowTerminating(ex);
            return default!;
        }
    }

    protected void ReportMissing(SubjectState state)
    {
        if (state.Ranker.Vectors.Missing.Count > 0)
            WriteWarning($"{state.Ranker.Vectors.Missing.Count} example(s) of '{state.Subject.Name}' have no '{state.Model}' vector and were left out of training " +
                         $"(e.g. '{state.Ranker.Vectors.Missing[0].Label}'); " + (state.Faces is null
                             ? $"run New-MediaRep | Add-MediaEmbedding -Model {state.Model} to include them."
                             : "their faces are no longer in the face store (the file changed and was analysed again): review them again."));
    }
}
