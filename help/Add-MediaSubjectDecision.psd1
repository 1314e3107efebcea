@{
    Synopsis    = 'Records approvals or rejections for a subject without the review page.'
    Description = @'
Each piped asset is recorded as approved or rejected for the subject: -Decision for all of them, else the Approved value a review set on the object (Invoke-MediaReview -IncludeRejected). The decisions are saved as one review of the library (data/reviews), exactly like a page review, so they count for learning, for leaving decided items out of later rounds and for Set-MediaXmpTag -Subject. A later decision on the same item replaces an earlier one. The model of piped matches (Find-MediaSubject sets it) is recorded with the decisions and becomes the tags'' provenance; for a face match (a person subject, Find-MediaFace) the face judged is recorded, so the decision teaches that face.
'@
    Parameters  = @{
        Subject     = 'The subject.'
        InputObject = 'MediaAsset or MediaMatch objects (Get-MediaAsset, Find-*, Invoke-MediaReview).'
        Decision    = 'Approved or Rejected, for every piped item.'
        PassThru    = 'Writes the piped objects after recording.'
        Library     = 'The library folder; default: the library of the piped assets.'
        StorePath   = 'The store folder when it is not <library>/.mediatagger.'
    }
    Examples    = @(
        @{
            Title   = 'A folder you know is all Teddy'
            Code    = "Get-MediaAsset -Path ~/Pictures/teddy-album | Add-MediaSubjectDecision Teddy -Decision Approved"
            Remarks = ''
        }
        @{
            Title   = 'Keep both sides of a review made with -Label'
            Code    = "Find-MediaSubject Teddy -Next | Invoke-MediaReview -IncludeRejected | Add-MediaSubjectDecision Teddy"
            Remarks = ''
        }
    )
    Links       = @('Invoke-MediaReview', 'Find-MediaSubject')
}
