using System.Management.Automation;
using MediaTagger.Core.Xmp;

namespace MediaTagger.PowerShell.State;

/// <summary>What the tag cmdlets of one session share: the journals the last write used, and journal recovery.</summary>
static class TagSession
{
    static volatile IReadOnlyList<string> _lastJournals = [];

    public static IReadOnlyList<string> LastJournals
    {
        get => _lastJournals;
        set => _lastJournals = value;
    }

    /// <summary>True when the command only shows what it would do (-WhatIf, or $WhatIfPreference): it then writes nothing, not even recovery lines.</summary>
    public static bool IsWhatIf(PSCmdlet cmdlet) =>
        cmdlet.MyInvocation.BoundParameters.TryGetValue("WhatIf", out var v)
            ? v is SwitchParameter { IsPresent: true } or true
            : cmdlet.SessionState.PSVariable.GetValue("WhatIfPreference") is true or SwitchParameter { IsPresent: true };

    /// <summary>The message that tells the user what recovery of <paramref name="journal"/> settled, or null when there was nothing.</summary>
    public static string? Describe(TagJournal journal)
    {
        var r = journal.Recovered;
        if (r.Count == 0) return null;
        int Count(WriteOutcome o) => r.Count(e => e.Outcome == o);
        return $"Recovered {r.Count:N0} sidecar write(s) an interrupted run left unsettled in '{journal.Path}': {Count(WriteOutcome.Written):N0} completed, {Count(WriteOutcome.NotWritten):N0} never happened, {Count(WriteOutcome.Unknown):N0} changed since by another program; their temporary files were removed.";
    }
}
