@{
    Synopsis    = 'Writes hierarchical tags (such as Pets|Teddy) and automatic tags (year, camera) into the XMP sidecars of photos and videos.'
    Description = @'
Set-MediaXmpTag merges tags into the XMP sidecar file next to each media file, the place where Lightroom Classic, digiKam, darktable, Immich, Photo Supreme and exiftool look for them. The media files themselves are never changed.

Each tag is written three ways, so every tool finds it: lr:hierarchicalSubject ("Dogs|Teddy"), digiKam:TagsList ("Dogs/Teddy", read first by digiKam and Immich) and dc:subject (each level as a plain keyword: "Dogs", "Teddy"; a profile may choose only the last level). If the sidecar already has MicrosoftPhoto:LastKeywordXMP or mediapro:CatalogSets, they are updated too.

Tags are added to what is there, as a set: running the command twice changes nothing the second time, and everything else in an existing sidecar (develop settings, edit history, ratings, colour labels, other programs' data, any language) is kept. A sidecar that is not valid XMP (MediaXmpSidecarUnreadable) or that you made read-only (MediaXmpSidecarWriteFailed) is reported and left untouched; the other files are still tagged. Files are written atomically (a crash never leaves half a sidecar), as UTF-8 without a byte-order mark. A sidecar that is a symbolic link is written through to the file it points to (a link to nothing or to a folder is refused: MediaXmpSidecarSymlinkRefused). Tag text an XMP file cannot hold (control characters, U+FFFE, U+FFFF, lone surrogates) is refused with MediaXmpTagCharacterInvalid, naming the character.

Only photos and videos get sidecars: any other file is an error (MediaXmpNotMediaFile) and the rest go on. A sidecar in the input (IMG_1.xmp) stands for its media file when exactly one is beside it; otherwise it is skipped, with one warning for the run.

Sidecar names: IMG_1234.JPG gets IMG_1234.xmp unless -SidecarNaming FullName (or the profile) asks for IMG_1234.JPG.xmp, the only form darktable reads. When a sidecar of the other form already exists for the file, that one is updated instead of creating a second. A RAW+JPEG pair (IMG_1.CR2 and IMG_1.JPG) shares IMG_1.xmp: tags from both are merged into it.

With a profile, -Label Teddy (required with -Profile, unless -Tag is given: MediaXmpLabelRequired) becomes the profile's tag (Pets|Teddy for the pets profile) and the profile's automatic tags are added: Year|2021 (from the date the photo was taken, or a video's creation time converted to local time; a file with neither gets no year unless -DateFromFileTime), Month|2021-07, Camera|Canon EOS 5D and Place|... (from location fields, or GPS coordinates when that is all there is).

Objects piped from Invoke-MediaReview that were rejected (Approved is false) are skipped.

Every write is recorded in the tag journal before the sidecar is replaced (write-ahead): a run killed at any moment leaves every sidecar readable, and the next run settles the writes it left unsettled and removes their temporary files (.NAME.xmp.mediatagger-XXXXXXXX.tmp). The journal is data/tag-journal.jsonl in the library's store; for files outside any library, tag-journal.jsonl in the per-user MediaTagger folder), so Undo-MediaXmpTag can reverse it.
'@
    Parameters  = @{
        Recurse     = 'Take every photo and video below the folders given as -Path. Without it a folder is an error (MediaXmpPathIsFolder); folders piped by Get-ChildItem -Recurse are skipped, since their files come through the pipeline themselves.'
        Path         = 'The media files to tag. Accepts plain paths (wildcards allowed), files from Get-ChildItem and any object with a Path or FullName property. Folders are skipped; files need not belong to a library.'
        InputObject  = 'Anything piped in: MediaTagger objects (Get-MediaAsset, Find-SimilarMedia, Invoke-MediaReview), files from Get-ChildItem, path strings, or any object or hashtable with a Path or FullName. Any input whose Approved property, column or key is false is skipped, whatever its type: review output, its Export-Clixml or Export-Csv round trip ("False"), JSON, hashtables. The skips are counted in the summary and named in one warning.'
        Tag          = "Hierarchical tags to add, levels separated by '|': 'Dogs|Teddy', 'Places|Beach'. A level may not contain '/' (digiKam and Immich read it as a separator) and may not be empty."
        Profile      = 'A profile name (tab-completes; see Get-MediaTaggerProfile) or the path of a profile .json file. It sets the tag template for -Label, the automatic tags, the sidecar naming and whether plain keywords get every level or only the last.'
        Label        = "Names to tag through the profile's template: with -Profile pets, -Label Teddy writes Pets|Teddy. Without a profile the template is Subjects|{label}. A label may contain neither '|' nor '/'."
        AutoTag      = 'Automatic tags to add from each file''s metadata, overriding the profile: year, month, camera, place.'
        NoAutoTag    = 'Add no automatic tags, even when the profile lists some.'
        DateFromFileTime = 'For files without a capture date in their metadata, take year and month from the file''s modification time (each such file is named in a warning). Off by default: that time is usually when the file was copied, so those files get no year or month. A profile can turn it on with "autoTagDateFromFileTime": true.'
        SidecarNaming = 'Basename (IMG_1234.xmp, the default) or FullName (IMG_1234.JPG.xmp, for darktable). An existing sidecar of the other form is always updated rather than duplicated.'
        Library      = 'The library whose journal records the writes. Without it, a piped asset''s library is used, else the library that contains the file, else the per-user journal.'
        StorePath    = 'The store folder of -Library, when it is kept outside the library.'
        PassThru     = 'Emit one object per media file with its tags after the write (Path, Tags, Sidecar, Added, Removed).'
        Subject      = 'Tags exactly the items approved for this subject (the latest decision on each item from every review of it, plus its anchors inside the library) with the subject''s tag, using its profile unless -Profile is given. Each tag carries its provenance (subject, source, model, score and what it measured, decision time, who decided, review file) in mediatagger:Provenance, which other programs ignore (docs/xmp-provenance.md); a subject made with -NoProvenance, or a profile with "provenance": false, writes the tag only. For a person subject (-Kind Person) the approved faces are written as the person''s tag (People|Name) plus one Metadata Working Group face region per face, by the same writer as Set-MediaFaceRegion. A sidecar whose mediatagger:Provenance another program filled with something else is reported (MediaXmpProvenanceUnsupported) and left untouched. Takes no pipeline input.'
    }
    Examples    = @(
        @{
            Title   = 'Tag everything approved for a subject'
            Code    = "Set-MediaXmpTag -Subject Teddy -Library ~/Pictures -WhatIf"
            Remarks = 'Shows the sidecars that would get Pets|Teddy; run without -WhatIf to write them. Rejected and unreviewed items are never tagged.'
        }
        @{
            Title   = 'See where a subject''s tag came from'
            Code    = "Set-MediaXmpTag -Subject Teddy -Library ~/Pictures; exiftool -struct -XMP-mediatagger:all ~/Pictures/2024/beach.xmp"
            Remarks = 'exiftool lists the provenance entry of Pets|Teddy: Subject Teddy, Source review, Model resnet18, Score 0.93, ScoreKind probability, Decided, DecidedBy, Review.'
        }
        @{
            Title   = 'Tag the photos you confirmed'
            Code    = "Find-SimilarMedia -Library ~/Pictures -Anchor ./teddy1.jpg -Profile pets | Invoke-MediaReview | Set-MediaXmpTag -Profile pets -Label Teddy"
            Remarks = 'Writes Pets|Teddy plus Year|... and Camera|... into the sidecars of the approved matches only.'
        }
        @{
            Title   = 'Preview first'
            Code    = "Get-ChildItem ~/Pictures/2021/Beach -File | Set-MediaXmpTag -Tag 'Places|Beach' -WhatIf"
            Remarks = 'Shows, per sidecar, which tags would be added; nothing is written.'
        }
        @{
            Title   = 'Sidecars for darktable'
            Code    = "Set-MediaXmpTag -Path ./IMG_1.JPG -Tag 'Dogs|Teddy' -SidecarNaming FullName -PassThru"
            Remarks = 'Writes IMG_1.JPG.xmp (unless IMG_1.xmp already exists) and shows the resulting tags.'
        }
        @{
            Title   = 'Only automatic tags'
            Code    = 'Get-MediaAsset -Library ~/Pictures -Cached | Set-MediaXmpTag -AutoTag year, camera'
            Remarks = 'Adds Year|... and Camera|... tags to every file of the library.'
        }
    )
    Links       = @('Get-MediaXmpTag', 'Remove-MediaXmpTag', 'Undo-MediaXmpTag', 'Get-MediaTaggerProfile')
}
