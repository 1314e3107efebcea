using System.Management.Automation;
using MediaTagger.Core.Common;
using MediaTagger.Core.Library;
using MediaTagger.Core.Xmp;
using MediaTagger.PowerShell.State;

namespace MediaTagger.PowerShell.Cmdlets;

/// <summary>Reverses sidecar writes recorded in the tag journal, where nobody changed the sidecar since.</summary>
[Cmdlet(VerbsCommon.Undo, "MediaXmpTag", SupportsShouldProcess = true, DefaultParameterSetName = LastRunSet)]
[OutputType(typeof(TagJournalEntry))]
public sealed class UndoMediaXmpTagCommand : LibraryCmdlet
{
    const string LastRunSet = "LastRun";
    const string SinceSet = "Since";
    const string LastSet = "Last";

    [Parameter(ParameterSetName = SinceSet, Mandatory = true)]
    public DateTime Since { get; set; }

    [Parameter(ParameterSetName = LastSet, Mandatory = true)]
    [ValidateRange(1, int.MaxValue)]
    public int Last { get; set; }


    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Journal { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void EndProcessing()
    {
        var whatIf = TagSession.IsWhatIf(this);
        foreach (var path in Journals())
        {
            TagJournal? journal = null;
            try
            {
                // Opened first (not for -WhatIf), so writes a killed run left unsettled are settled before choosing what to undo.
                if (!whatIf && File.Exists(path))
                {
                    try { journal = TagJournal.OpenForAppend(path, StopToken); }
                    catch (MediaTaggerException ex) { ThrowTerminating(ex); }
                    if (TagSession.Describe(journal!) is { } recovered) WriteWarning(recovered);
                }
                var entries = TagJournal.Read(path, WriteItemError);
                var selected = XmpTagUndo.Select(entries,
                    ParameterSetName == SinceSet ? Since : null,
                    ParameterSetName == LastSet ? Last : null);
                if (selected.Count == 0)
                {
                    WriteVerbose($"Nothing to undo in '{path}'.");
                    continue;
                }
                var undo = new XmpTagUndo(entries);
                foreach (var entry in selected)
                {
                    if (StopToken.IsCancellationRequested) throw new PipelineStoppedException();
                    UndoPlan plan;
                    try { plan = undo.Plan(entry); }
                    catch (MediaTaggerException ex)
                    {
                        WriteItemError(ex.ToItemError());
                        continue;
                    }
                    var action = plan.After is null && plan.Current is not null
                        ? "Delete the sidecar created"
                        : $"Undo the write (remove {Join(entry.Added)}; restore {Join(entry.Removed)})";
                    if (!ShouldProcess(entry.Sidecar, $"{action} at {entry.Time.ToLocalTime():yyyy-MM-dd HH:mm:ss}")) continue;
                    try
                    {
                        journal ??= TagJournal.OpenForAppend(path, StopToken);
                        var result = undo.Commit(plan, journal);
                        if (PassThru) WriteObject(result);
                    }
                    catch (MediaTaggerException ex)
                    {
                        WriteItemError(ex.ToItemError());
                    }
                }
            }
            finally
            {
                journal?.Dispose();
            }
        }
    }

    static string Join(List<string> tags) => tags.Count == 0 ? "nothing" : string.Join(", ", tags);

    /// <summary>
    /// -Journal (a path, relative to the PowerShell location), else -Library's journal, else those the last Set-/Remove-MediaXmpTag
    /// of this session wrote, else the journal of the library found as every command finds it (the current folder's,
    /// else the session's last), else the per-user journal (files outside any library).
    /// </summary>
    IReadOnlyList<string> Journals()
    {
        if (Journal is not null) return [ResolvePath(Journal)];
        if (Library is not null) return [TagJournal.PathForStore(ResolveLibrary(Library, StorePath).StorePath)];
        if (TagSession.LastJournals.Count > 0) return TagSession.LastJournals;
        if (LibraryLocator.TryLocate(LibraryQueryFor(null)) is { } library) return [TagJournal.PathForStore(library.StorePath)];
        return [TagJournal.UserJournalPath];
    }
}
