@{
    Synopsis    = 'Lists the tags of photos and videos, from their XMP sidecars and the XMP embedded in the files.'
    Description = @'
Get-MediaXmpTag reads the sidecar of each file under either naming (IMG_1234.xmp and IMG_1234.JPG.xmp) and emits one object per file: Path, Tags (hierarchical, levels separated by '|'), Sidecar, and SidecarTags and EmbeddedTags separately.

Tags come from lr:hierarchicalSubject, digiKam:TagsList (its '/' shown as '|'), MicrosoftPhoto:LastKeywordXMP and mediapro:CatalogSets, plus plain dc:subject keywords that are not a level of one of those. Tags stored inside the image file itself (its own XMP) are listed too, but MediaTagger never writes there.

A sidecar that is not valid XMP is reported as an error (MediaXmpSidecarUnreadable) and the other files are still listed.
'@
    Parameters  = @{
        Recurse     = 'Take every photo and video below the folders given as -Path. Without it a folder is an error (MediaXmpPathIsFolder); folders piped by Get-ChildItem -Recurse are skipped, since their files come through the pipeline themselves.'
        Path        = 'The media files to read. Accepts plain paths (wildcards allowed), files from Get-ChildItem and any object with a Path or FullName property.'
        InputObject = 'Anything piped in: MediaTagger objects, files from Get-ChildItem, path strings, or any object or hashtable with a Path or FullName.'
        SidecarOnly = 'Read only the sidecars, not the XMP embedded in the media files (faster on large RAW files and videos).'
    }
    Examples    = @(
        @{
            Title   = 'Tags of a folder'
            Code    = 'Get-ChildItem ~/Pictures/2021 -File | Get-MediaXmpTag'
            Remarks = 'One row per file with its tags.'
        }
        @{
            Title   = 'Files already tagged Teddy'
            Code    = "Get-MediaAsset -Library ~/Pictures -Cached | Get-MediaXmpTag -SidecarOnly | Where-Object Tags -contains 'Pets|Teddy'"
            Remarks = 'Filters on the hierarchical tag.'
        }
    )
    Links       = @('Set-MediaXmpTag', 'Remove-MediaXmpTag')
}
