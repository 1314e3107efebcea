@{
    Synopsis    = 'Reverses sidecar writes recorded in the tag journal, unless someone changed the sidecar since.'
    Description = @'
Every write of Set-MediaXmpTag and Remove-MediaXmpTag is recorded in a tag journal with the tags added and removed and a fingerprint (SHA-256) of the sidecar before and after. Undo-MediaXmpTag reverses journal entries, newest first: it removes the tags the write added and restores those it removed; a sidecar the write created is deleted.

It only touches a sidecar that is still exactly as the write left it. If another program (or a later MediaTagger run you are not undoing) changed it since, that entry is reported (MediaXmpUndoConflict) and skipped, so nobody else's work is undone.

Without -Since or -Last, the whole last run is undone (every write of the last Set-MediaXmpTag or Remove-MediaXmpTag that wrote to the journal); running it again undoes the run before that. Undoing is itself journaled, and an entry is never undone twice.

Which journal: -Journal, else the journal of -Library, else the journals the last Set-/Remove-MediaXmpTag of this session wrote to, else the journal of the library used last, else the per-user journal for files outside any library (tag-journal.jsonl in the MediaTagger user folder; MEDIATAGGER_HOME overrides it).
'@
    Parameters  = @{
        Since     = 'Undo every write made at or after this time, e.g. (Get-Date).AddHours(-1).'
        Last      = 'Undo the last N writes (one write = one sidecar).'
        Library   = 'Use the journal of this library (<library>/.mediatagger/data/tag-journal.jsonl).'
        StorePath = 'The store folder of -Library, when it is kept outside the library.'
        Journal   = 'The path of a tag journal file to use.'
        PassThru  = 'Emit the journal entries of the undo operations.'
    }
    Examples    = @(
        @{
            Title   = 'Undo the last tagging run'
            Code    = 'Undo-MediaXmpTag -WhatIf; Undo-MediaXmpTag'
            Remarks = 'Shows, then reverses, every sidecar write of the last Set-MediaXmpTag or Remove-MediaXmpTag.'
        }
        @{
            Title   = 'Undo the last hour in one library'
            Code    = 'Undo-MediaXmpTag -Library ~/Pictures -Since (Get-Date).AddHours(-1) -PassThru'
            Remarks = 'Lists what was reversed; sidecars edited elsewhere since are reported and left alone.'
        }
    )
    Links       = @('Set-MediaXmpTag', 'Remove-MediaXmpTag')
}
