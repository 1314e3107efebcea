@{
    Synopsis    = 'Reports how well a subject has learned: estimated precision and recall at a threshold, positives probably still unreviewed, and whether you are probably done.'
    Description = @'
Trains the subject and reports: how it ranks (learned probability, or similarity while it has too few decisions), its examples, the last round''s approvals, and at -Threshold (default 0.5) the precision and recall estimated by cross-validation on your decisions (each decision judged by a model trained without it). EstimatedUnreviewed is the sum of the probabilities of the items not reviewed yet: the number of positives you can still expect to find. ProbablyDone is true when the last round brought almost nothing new (at most one item, or 5 %) or fewer than half a positive is expected to remain.

The estimates describe the items you reviewed, which the ranking chose; on the rest of the library they are optimistic for recall at low thresholds. Use them to choose a threshold and to know when to stop. For a person (New-MediaSubject -Kind Person) the same is measured over faces, with the face models'' embeddings.
'@
    Parameters  = @{
        Name      = 'The subjects to measure. Pipeline input by property name (from Get-MediaSubject).'
        Model     = 'The model whose embeddings to train on (see Find-MediaSubject).'
        Threshold = 'The probability at which precision and recall are estimated (default 0.5).'
        Library   = 'The library folder; default: the one used last in the session.'
        StorePath = 'The store folder when it is not <library>/.mediatagger.'
    }
    Examples    = @(
        @{
            Title   = 'Is Teddy done?'
            Code    = 'Measure-MediaSubject Teddy -Library ~/Pictures'
            Remarks = 'Shows precision and recall at 0.5, the positives probably left and ProbablyDone.'
        }
        @{
            Title   = 'Compare thresholds'
            Code    = '0.3, 0.5, 0.8 | ForEach-Object { Measure-MediaSubject Teddy -Threshold $_ } | Select-Object Threshold, Precision, Recall'
            Remarks = ''
        }
    )
    Links       = @('Find-MediaSubject', 'Invoke-MediaReview')
}
