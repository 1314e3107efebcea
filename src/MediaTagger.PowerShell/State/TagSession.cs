namespace MediaTagger.PowerShell.State;

/// <summary>What the tag cmdlets remember within a session: the journals the last Set-/Remove-MediaXmpTag wrote to, which Undo-MediaXmpTag uses by default.</summary>
static class TagSession
{
    static volatile IReadOnlyList<string> _lastJournals = [];

    public static IReadOnlyList<string> LastJournals
    {
        get => _lastJournals;
        set => _lastJournals = value;
    }
}
