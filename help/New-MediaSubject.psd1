@{
    Synopsis    = 'Creates a subject (a name, its tag and example images) that learns from every review decision made for it.'
    Description = @'
A subject is what you want found and tagged: "Teddy" the dog, "Grandma", "the lake house". It has a name, the tag approved items get (through a profile: -Profile pets gives Pets|Teddy) and anchors: example images of it, and optionally of what it is not (-NegativeAnchor). Every decision you make for it later, in Invoke-MediaReview -Subject or with Add-MediaSubjectDecision, adds an example: approved items are positives, rejected ones negatives. Once there are at least 3 of each, Find-MediaSubject and the review rank by a classifier trained on them, with calibrated probabilities.

The subject is stored as readable JSON in <library>/.mediatagger/data/subjects/<name>.json. It holds no model data: switching to another model keeps every decision and retrains. Anchors may be library files (kept by asset id) or files outside the library (kept by path and embedded with whichever model ranks).
'@
    Parameters  = @{
        Name           = 'The subject''s name; also the tag level and the label its review decisions carry. Case is ignored when looking it up.'
        Anchor         = 'Example images of the subject: paths (wildcards allowed), Get-ChildItem items, MediaAsset/MediaMatch objects or asset ids. Pipeline input.'
        NegativeAnchor = 'Example images of what the subject is not.'
        Profile        = 'The profile whose tag template, model and sidecar settings the subject uses (pets, people, ...).'
        Tag            = 'The tag approved items get, instead of the profile''s template (e.g. ''Dogs|Teddy'').'
        NoProvenance   = 'Tags written for this subject (Set-MediaXmpTag -Subject) carry no provenance in the sidecar. By default each carries, in mediatagger:Provenance (a namespace other programs ignore), the subject, model, score, decision time, who decided and the review (docs/xmp-provenance.md); a profile can turn that off for all its subjects with "provenance": false.'
        Force          = 'Replaces the definition of an existing subject of that name; its review decisions stay.'
        Library        = 'The library folder; default: the library of piped assets, else the one used last in the session.'
        StorePath      = 'The store folder when it is not <library>/.mediatagger.'
    }
    Examples    = @(
        @{
            Title   = 'Teach it your dog from two photos'
            Code    = "New-MediaSubject Teddy -Anchor ~/Pictures/2023/teddy1.jpg, ~/Pictures/2024/teddy-beach.jpg -Profile pets -Library ~/Pictures"
            Remarks = 'Creates Teddy, tagged Pets|Teddy. Next: Invoke-MediaReview -Subject Teddy.'
        }
        @{
            Title   = 'Anchors from a search'
            Code    = "Find-SimilarMedia ./teddy.jpg -Library ~/Pictures -K 5 | New-MediaSubject Teddy -Profile pets"
            Remarks = 'Piped matches become anchors.'
        }
    )
    Links       = @('Get-MediaSubject', 'Invoke-MediaReview', 'Find-MediaSubject', 'Measure-MediaSubject', 'Set-MediaXmpTag')
}
