using System.Management.Automation;
using MediaTagger.Core.Common;
using MediaTagger.Core.Subjects;
using MediaTagger.PowerShell.Completers;

namespace MediaTagger.PowerShell.Cmdlets;

/// <summary>Lists the subjects of a library with the count of their examples and decisions.</summary>
[Cmdlet(VerbsCommon.Get, "MediaSubject")]
[OutputType(typeof(SubjectInfo))]
public sealed class GetMediaSubjectCommand : SubjectCmdlet
{
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(SubjectNameCompleter))]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    protected override void ProcessRecord()
    {
        var library = ResolveSubjectLibrary();
        var subjects = SubjectStore.List(library, WriteItemError);
        foreach (var name in Name ?? ["*"])
        {
            var pattern = new WildcardPattern(name, WildcardOptions.IgnoreCase);
            var matches = subjects.Where(s => pattern.IsMatch(s.Name)).ToList();
            if (matches.Count == 0 && !WildcardPattern.ContainsWildcardCharacters(name))
                WriteItemError(new ItemError(ErrorIds.SubjectNotFound,
                    $"The library '{library.Root}' has no subject '{name}'" + (subjects.Count == 0 ? ". Create one with New-MediaSubject." : $" (it has: {string.Join(", ", subjects.Select(s => s.Name))})."),
                    name, ErrorKind.ObjectNotFound));
            foreach (var s in matches) WriteObject(SubjectInfo.For(library, s, SubjectExamples.Load(library, s, WriteItemError)));
        }
    }
}
