using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using MediaTagger.Core.Library;
using MediaTagger.Core.Subjects;
using MediaTagger.PowerShell.State;

namespace MediaTagger.PowerShell.Completers;

/// <summary>Tab completion of the subjects of the -Library being typed, else of the session's last library.</summary>
public sealed class SubjectNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var prefix = wordToComplete.Trim('\'', '"');
        MediaLibrary? library = fakeBoundParameters["Library"] is string root && Directory.Exists(root) ? MediaLibrary.Open(root) : ModuleState.LastLibrary;
        if (library is null) yield break;
        foreach (var subject in SubjectStore.List(library))
        {
            if (!subject.Name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)) continue;
            var text = subject.Name.IndexOfAny([' ', '\'', '"', '$', '`', ';', '(', ')', '{', '}', '@', '#', ',']) >= 0 ? "'" + subject.Name.Replace("'", "''") + "'" : subject.Name;
            yield return new CompletionResult(text, subject.Name, CompletionResultType.ParameterValue, subject.Tag);
        }
    }
}
