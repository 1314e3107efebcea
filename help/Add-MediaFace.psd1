@{
    Synopsis    = 'Finds and embeds the faces in photos and videos, into the library''s face store.'
    Description = @'
Add-MediaFace looks for faces in each asset with the installed face models (Install-MediaTaggerModel -Name faces): BlazeFace finds faces on the picture at up to -PictureSize pixels (1600 by default, large enough for small faces in group photos: the whole picture and then overlapping tiles are searched), and FaceRes turns each face, turned upright by its eyes, into a 1024-number vector. Boxes, six landmarks and scores go to the face log (<library>/.mediatagger/data/faces/), the vectors to the library's vector store (data/embeddings/faces/, checked like every vector store). A file analysed again (changed, or -Force) keeps the names of its faces that are found again in the same place (boxes overlapping by half or more) and still look like the same person (cosine 0.7 or more). Videos are searched through their rep frames (run New-MediaRep first).

The stage is incremental: a file whose size and modified time did not change since it was analysed with the same models is skipped (Status Current). Workers run one per core; Ctrl+C keeps every file finished so far and the next run goes on from there. A file that cannot be read is one error (MediaRep... or MediaFaceImageUnreadable) and the batch goes on.

Without piped assets, every asset of the library's catalog is analysed. Everything stays on this computer.
'@
    Parameters  = @{
        InputObject = 'Assets from Get-MediaAsset (or any MediaTagger asset object).'
        Library     = 'The library folder; by default the library of the piped assets, or the one used last in this session.'
        StorePath   = 'The store folder of the library when it is not <library>/.mediatagger.'
        PictureSize = 'Longest side, in pixels, of the picture faces are looked for in. Larger finds smaller faces and takes longer.'
        MinScore    = 'Detector score (0-1) below which a face is not kept. The default 0.75 was measured on real group photos.'
        Force       = 'Analyse again files that are already current.'
    }
    Examples    = @(
        @{
            Title   = 'Faces of a whole library'
            Code    = 'Add-MediaFace -Library ~/Pictures'
            Remarks = 'Analyses every catalogued photo and video (after Get-MediaAsset and New-MediaRep); run it again after adding photos.'
        }
        @{
            Title   = 'Faces of one folder'
            Code    = 'Get-MediaAsset -Path ~/Pictures/2023 | Add-MediaFace | Where-Object Faces -gt 0'
            Remarks = 'Lists the files with at least one face.'
        }
    )
    Links       = @('Install-MediaTaggerModel', 'Get-MediaFace', 'Find-MediaFace', 'Group-MediaFace', 'Remove-MediaFace')
}
