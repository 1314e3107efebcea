@{
    Synopsis    = 'Names faces (or removes their name): faces, clusters, or reviewed face matches.'
    Description = @'
Set-MediaFaceName records a name for each piped face: MediaFace objects (Get-MediaFace), FaceCluster objects (Group-MediaFace: all their faces) or FaceMatch objects (Find-MediaFace; after Invoke-MediaReview only the approved ones). -Name '' removes the name. Every naming is appended to the face store's names.jsonl, so the history is kept and a naming is undone by naming again.

Names live in the library's face store only; Set-MediaFaceRegion writes them into sidecars as People|<name> tags and face regions.
'@
    Parameters  = @{
        Name        = 'The person''s name; an empty string removes the name.'
        InputObject = 'Faces, clusters or face matches.'
        PassThru    = 'Emit the named faces.'
    }
    Examples    = @(
        @{
            Title   = 'Name a cluster'
            Code    = 'Group-MediaFace -Library ~/Pictures | Where-Object Id -eq 3 | Set-MediaFaceName Carol'
            Remarks = 'All faces of cluster 3 are named Carol.'
        }
        @{
            Title   = 'Undo a wrong name'
            Code    = "Get-MediaFace -Library ~/Pictures -Name Carol | Where-Object RelativePath -like '*2019*' | Set-MediaFaceName ''"
            Remarks = 'Those faces have no name again.'
        }
    )
    Links       = @('Get-MediaFace', 'Group-MediaFace', 'Find-MediaFace')
}
