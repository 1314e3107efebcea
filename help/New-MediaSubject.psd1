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
        Kind           = 'Thing (the default: ranked on whole-picture embeddings) or Person. A person''s examples are faces (Add-MediaFace finds them): every face named with its name (Set-MediaFaceName) is a positive, a face named as someone else a negative, the largest face of each -Anchor photo of the library an anchor, and every face you approve or reject in Invoke-MediaReview -Subject a decision. It ranks faces on face embeddings (the best similarity to its faces, then the same classifier with calibrated probabilities once 3 faces are approved and 3 rejected), the review shows face crops, and Set-MediaXmpTag -Subject writes People|Name with a Metadata Working Group face region per approved face. Without -Profile or -Tag its tag is People|Name.'
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
        @{
            Title   = 'A person, from faces you named'
            Code    = "Find-MediaFace -Anchor ./alice.jpg -Library ~/Pictures | Invoke-MediaReview | Set-MediaFaceName Alice; New-MediaSubject Alice -Kind Person -Library ~/Pictures; Invoke-MediaReview -Subject Alice -Rounds 3; Set-MediaXmpTag -Subject Alice"
            Remarks = 'The faces named Alice start the person; each round shows faces (cropped) of the likeliest pictures; approved faces are written as People|Alice with their face regions.'
        }
    )
    Links       = @('Get-MediaSubject', 'Invoke-MediaReview', 'Find-MediaSubject', 'Measure-MediaSubject', 'Set-MediaXmpTag')
}
