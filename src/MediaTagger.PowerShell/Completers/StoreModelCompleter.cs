using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using MediaTagger.Core.Library;
using MediaTagger.Core.Search;
using MediaTagger.PowerShell.State;

namespace MediaTagger.PowerShell.Completers;

/// <summary>Completes -Model of the search cmdlets with the models that have embeddings in the library (-Library, else the last one used).</summary>
public sealed class StoreModelCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var prefix = wordToComplete.Trim('\'', '"');
        MediaLibrary? library = fakeBoundParameters["Library"] is string root && Directory.Exists(root)
            ? MediaLibrary.Open(root, fakeBoundParameters["StorePath"] as string)
            : ModuleState.LastLibrary;
        if (library is null) return [];
        return MediaQuery.StoreNames(library)
            .Where(n => n.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            .Select(n => new CompletionResult(n, n, CompletionResultType.ParameterValue, n));
    }
}
