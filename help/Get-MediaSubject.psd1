@{
    Synopsis    = 'Lists the subjects of a library with the number of anchors, approvals, rejections and review rounds.'
    Description = @'
Reads the subjects of a library (data/subjects/*.json) and counts their examples from the library's review decisions: the latest decision on each item counts, from any session. For a person (Kind Person) the examples are faces: named faces count too. No model is loaded; Measure-MediaSubject trains a subject and estimates its precision and recall.
'@
    Parameters  = @{
        Name      = 'Names of subjects to show; wildcards allowed. All subjects when omitted.'
        Library   = 'The library folder; default: the one used last in the session.'
        StorePath = 'The store folder when it is not <library>/.mediatagger.'
    }
    Examples    = @(
        @{
            Title   = 'List the subjects'
            Code    = 'Get-MediaSubject -Library ~/Pictures'
            Remarks = 'Name, tag, anchors, approved, rejected, rounds and the time of the last review.'
        }
    )
    Links       = @('New-MediaSubject', 'Measure-MediaSubject')
}
