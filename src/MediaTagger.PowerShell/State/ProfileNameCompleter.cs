using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using MediaTagger.Core.Profiles;

namespace MediaTagger.PowerShell.State;

/// <summary>Completes profile names (shipped and the user's own) for -Profile parameters.</summary>
public sealed class ProfileNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var prefix = wordToComplete.Trim('\'', '"');
        foreach (var p in new ProfileStore(ModelSessions.ShippedProfiles).List().Where(p => p.Name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)))
            yield return new CompletionResult(p.Name, p.Name, CompletionResultType.ParameterValue, p.Description ?? p.Name);
    }
}
