using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using MediaTagger.PowerShell.State;

namespace MediaTagger.PowerShell.Completers;

/// <summary>
/// Tab completion of profile names (shipped and the user's own) for any -Profile parameter:
/// <c>[ArgumentCompleter(typeof(ProfileNameCompleter))]</c>.
/// </summary>
public sealed class ProfileNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var prefix = wordToComplete.Trim('\'', '"');
        foreach (var profile in ModuleProfiles.Store.List())
        {
            if (!profile.Name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)) continue;
            var text = profile.Name.IndexOfAny([' ', '\'', '"', '$', '`', ';', '(', ')', '{', '}', '@', '#', ',']) >= 0
                ? "'" + profile.Name.Replace("'", "''") + "'"
                : profile.Name;
            yield return new CompletionResult(text, profile.Name, CompletionResultType.ParameterValue, profile.Description ?? profile.TagTemplate);
        }
    }
}
