using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using MediaTagger.PowerShell.State;

namespace MediaTagger.PowerShell.Completers;

/// <summary>Completes -Profile with the names of the shipped and the user's profiles.</summary>
public sealed class ProfileNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var prefix = wordToComplete.Trim('\'', '"');
        return ModuleState.Profiles.List()
            .Where(p => p.Name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            .Select(p => new CompletionResult(p.Name, p.Name, CompletionResultType.ParameterValue, p.Description ?? p.Name));
    }
}
