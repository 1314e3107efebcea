@{
    Synopsis    = 'Ranks a library for a subject: by learned probability once it has enough decisions, else by similarity to its examples.'
    Description = @'
Trains the subject on its examples (anchors plus every approved and rejected item; a few hundred train in well under a second) and ranks the library's embeddings. With fewer than 3 approved or 3 rejected examples, Score is the best cosine similarity to a positive example (the rule of Find-SimilarMedia). Otherwise Score is a calibrated probability in [0,1] that the item shows the subject: Platt scaling fitted on cross-validated scores, so 0.8 means "about 8 in 10 such items are the subject" for any subject and any model.

Items already decided (and anchors) are left out unless -IncludeDecided. -Next returns exactly the batch the next review round would show (mostly the most likely items, one in six of the most uncertain). Results are MediaMatch objects: pipe them to Invoke-MediaReview -Label, Add-MediaSubjectDecision or Export-Csv.

For a person (New-MediaSubject -Kind Person) the library's faces are ranked instead: each result is a FaceMatch (the picture, the face's box and FaceId), the same picture once per face; the model is the face models' embeddings ("faces"), and decided faces (named with Set-MediaFaceName or judged in a review) are left out.
'@
    Parameters  = @{
        Name           = 'The subject.'
        Model          = 'The model whose embeddings to rank (default: the subject''s profile''s, else the library''s only store, else the default model). Switching models keeps every decision.'
        K              = 'How many items to return (default 100).'
        MinScore       = 'Leaves out items scoring below this (a probability once the subject has learned).'
        IncludeDecided = 'Also ranks items already approved or rejected.'
        Next           = 'Returns the batch the next active review round would show.'
        BatchSize      = 'With -Next: the size of the batch (default 24).'
        Library        = 'The library folder; default: the one used last in the session.'
        StorePath      = 'The store folder when it is not <library>/.mediatagger.'
    }
    Examples    = @(
        @{
            Title   = 'The 20 most likely unreviewed photos of Teddy'
            Code    = 'Find-MediaSubject Teddy -K 20 -Library ~/Pictures'
            Remarks = 'Score is a probability once Teddy has at least 3 approved and 3 rejected items.'
        }
        @{
            Title   = 'Everything above 90 %'
            Code    = 'Find-MediaSubject Teddy -K 5000 -MinScore 0.9 | Export-Csv teddy-likely.csv'
            Remarks = ''
        }
    )
    Links       = @('Invoke-MediaReview', 'Measure-MediaSubject', 'Add-MediaSubjectDecision')
}
