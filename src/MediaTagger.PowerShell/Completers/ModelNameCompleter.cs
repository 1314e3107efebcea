using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using MediaTagger.Core.Models;

using MediaTagger.PowerShell.State;

namespace MediaTagger.PowerShell.Completers;

/// <summary>Completes installed model names (and the built-in resnet18) for -Model parameters.</summary>
public sealed class ModelNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        IEnumerable<ModelInfo> models;
        try { models = ModelSessions.Registry.List(); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { yield break; }
        var prefix = wordToComplete.Trim('\'', '"');
        foreach (var m in models.Where(m => m.Name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)))
            yield return new CompletionResult(m.Name, m.Name, CompletionResultType.ParameterValue, $"{m.Kind}, {m.Dimension}-d{(m.SupportsText ? ", text search" : "")}");
    }
}

/// <summary>Completes the names of the models in the download catalog for Install-MediaTaggerModel -Name.</summary>
public sealed class CatalogModelNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        ModelCatalog catalog;
        try { catalog = ModelCatalog.Load(); }
        catch (Core.Common.MediaTaggerException) { yield break; }
        var prefix = wordToComplete.Trim('\'', '"');
        foreach (var m in catalog.Models.Where(m => m.Name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)))
            yield return new CompletionResult(m.Name, m.Name, CompletionResultType.ParameterValue, m.Description ?? m.Repo);
    }
}
