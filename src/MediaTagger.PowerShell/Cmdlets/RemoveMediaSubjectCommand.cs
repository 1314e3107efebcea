using System.Management.Automation;
using MediaTagger.Core.Common;
using MediaTagger.Core.Subjects;
using MediaTagger.PowerShell.Completers;

namespace MediaTagger.PowerShell.Cmdlets;

/// <summary>Deletes a subject's definition. Its review decisions stay in the library's review record (they are what a person said).</summary>
[Cmdlet(VerbsCommon.Remove, "MediaSubject", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(SubjectInfo))]
public sealed class RemoveMediaSubjectCommand : SubjectCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(SubjectNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = [];

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        var library = ResolveSubjectLibrary();
        foreach (var name in Name)
        {
            Subject subject;
            try { subject = SubjectStore.Get(library, name); }
            catch (MediaTaggerException ex) { WriteItemError(ex.ToItemError()); continue; }
            if (!ShouldProcess(SubjectStore.PathFor(library, subject.Name), $"Remove subject '{subject.Name}'")) continue;
            var info = SubjectInfo.For(library, subject, SubjectExamples.Load(library, subject, WriteItemError));
            try { SubjectStore.Remove(library, subject.Name); }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                WriteItemError(new ItemError(ErrorIds.SubjectWriteFailed, $"The subject '{subject.Name}' could not be removed: {ex.Message}", name, ErrorKind.WriteError, ex));
                continue;
            }
            if (PassThru) WriteObject(info);
        }
    }
}
