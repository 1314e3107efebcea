@{
    Synopsis    = 'Removes exactly the given tags from the XMP sidecars of photos and videos.'
    Description = @'
Remove-MediaXmpTag removes each given tag from every tag property of every sidecar of the file (either naming): lr:hierarchicalSubject, digiKam:TagsList, MicrosoftPhoto:LastKeywordXMP, mediapro:CatalogSets. A plain dc:subject keyword is removed only when no remaining tag still uses it (removing Dogs|Teddy keeps "Dogs" while Dogs|Rex is there). The tag's provenance entry (mediatagger:Provenance, written by Set-MediaXmpTag -Subject) goes with it; entries of other tags stay. Nothing else in the sidecar changes.

Removing a tag does not remove the tags below it: remove Dogs|Teddy|Puppy explicitly. Every write is journaled and can be undone with Undo-MediaXmpTag.
'@
    Parameters  = @{
        Recurse     = 'Take every photo and video below the folders given as -Path. Without it a folder is an error (MediaXmpPathIsFolder); folders piped by Get-ChildItem -Recurse are skipped, since their files come through the pipeline themselves.'
        Path        = 'The media files whose sidecars to edit. Accepts plain paths (wildcards allowed), files from Get-ChildItem and any object with a Path or FullName property.'
        InputObject = 'Anything piped in: MediaTagger objects, files from Get-ChildItem, path strings, or any object or hashtable with a Path or FullName. Rejected review decisions are not skipped here: removing a tag is never approving one.'
        Tag         = "The hierarchical tags to remove, levels separated by '|': 'Dogs|Teddy'."
        Profile     = 'A profile whose tag template turns -Label into tags (tab-completes; see Get-MediaTaggerProfile).'
        Label       = "Names to remove through the profile's template: with -Profile pets, -Label Teddy removes Pets|Teddy."
        Library     = 'The library whose journal records the writes. Without it, a piped asset''s library is used, else the library that contains the file, else the per-user journal.'
        StorePath   = 'The store folder of -Library, when it is kept outside the library.'
        PassThru    = 'Emit one object per media file with its tags after the change.'
    }
    Examples    = @(
        @{
            Title   = 'Take back a wrong tag'
            Code    = "Remove-MediaXmpTag -Path ~/Pictures/IMG_0042.JPG -Tag 'Pets|Teddy'"
            Remarks = 'The other tags and everything else in the sidecar stay.'
        }
        @{
            Title   = 'Remove a label from everything rejected in review'
            Code    = "Invoke-MediaReview | Where-Object Approved -eq `$false | Remove-MediaXmpTag -Profile pets -Label Teddy -WhatIf"
            Remarks = 'Shows which sidecars would change.'
        }
    )
    Links       = @('Set-MediaXmpTag', 'Undo-MediaXmpTag', 'Get-MediaXmpTag')
}
