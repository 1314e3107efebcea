@{
    Synopsis    = 'Finds every photo of a person by face: from photos of them, from faces, or from a name.'
    Description = @'
Find-MediaFace compares the faces of the library (Add-MediaFace) with anchor faces: the largest face of each -Anchor photo, faces piped from Get-MediaFace, or every face already named -Name. Each photo scores by its best face against its best anchor face (cosine similarity of FaceRes vectors, max over anchors); photos at or above -MinScore come out best first as FaceMatch objects, which carry the matching face's box (FaceX, FaceY, FaceWidth, FaceHeight) and id.

The default -MinScore 0.7 was measured on 96 real faces of 24 people, each in four versions of its photo (size, light, JPEG quality): 97% of same-person pairs score 0.7 or more, and no two different people scored above 0.65. The results pipe into Invoke-MediaReview, then Set-MediaFaceName to name the approved faces.
'@
    Parameters  = @{
        Anchor    = 'Photos of the person. The largest face of each is used; a photo without a face is one error and the others still count.'
        Face      = 'Faces from Get-MediaFace to use as anchors.'
        Name      = 'A person''s name: the faces already named so are the anchors (and are not returned themselves).'
        Library   = 'The library folder; by default that of the piped faces, or the one used last in this session.'
        StorePath = 'The store folder of the library when it is not <library>/.mediatagger.'
        MinScore  = 'Cosine similarity (-1 to 1) a face must reach. Lower finds more, including look-alikes.'
        Top       = 'Return at most this many photos.'
    }
    Examples    = @(
        @{
            Title   = 'Every photo of Alice from two photos of her'
            Code    = 'Find-MediaFace -Library ~/Pictures -Anchor ./alice1.jpg, ./alice2.jpg | Invoke-MediaReview | Set-MediaFaceName Alice'
            Remarks = 'Review the candidates in the browser; the approved faces are named Alice.'
        }
        @{
            Title   = 'More of a person already named'
            Code    = 'Find-MediaFace -Library ~/Pictures -Name Alice -MinScore 0.65'
            Remarks = 'The named faces are the anchors; the results are the photos not yet named.'
        }
    )
    Links       = @('Add-MediaFace', 'Set-MediaFaceName', 'Invoke-MediaReview', 'Group-MediaFace')
}
