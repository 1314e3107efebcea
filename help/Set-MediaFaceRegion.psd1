@{
    Synopsis    = 'Writes named people into XMP sidecars: People|<name> tags and face regions (mwg-rs:Regions).'
    Description = @'
Set-MediaFaceRegion writes, for each file with named faces, a hierarchical tag People|<name> per person (lr:hierarchicalSubject, digiKam:TagsList, dc:subject, as Set-MediaXmpTag writes tags) and one Metadata Working Group face region per face: mwg-rs:Regions with AppliedToDimensions (the picture's size) and a RegionList entry {Name, Type Face, Area x/y/w/h normalised, x and y the centre}. digiKam, Lightroom, exiftool and other MWG readers show these regions.

Regions are merged into the sidecar: regions already there (yours or another program's) are kept, and a face of the same name at the same place is not written twice. Each write is journaled like every tag write, so Undo-MediaXmpTag reverses it (the regions and tags it added, nothing else).

For a photo whose EXIF Orientation turns it on display (2-8: phones store portraits sideways), each region and AppliedToDimensions are written in the stored picture's frame, as the MWG guidelines 2.0 (5.9) ask and digiKam and exiftool read them: the region lands on the face however the photo is shown.

Only faces a person named (Set-MediaFaceName) or approved in review (Find-MediaFace | Invoke-MediaReview, with -Name) are written. Faces found in video rep frames are tagged but get no region (a region belongs to a still picture).
'@
    Parameters  = @{
        InputObject   = 'Named faces from Get-MediaFace, or face matches (approved in Invoke-MediaReview) with -Name.'
        Name          = 'The person''s name for piped face matches (or to override the name of piped faces).'
        Person        = 'Write every face of the library named so (wildcards allowed).'
        Library       = 'With -Person: the library folder; by default the one used last in this session.'
        StorePath     = 'With -Person: the store folder of the library when it is not <library>/.mediatagger.'
        SidecarNaming = 'Basename (IMG_1234.xmp, the default) or FullName (IMG_1234.JPG.xmp, for darktable). An existing sidecar of the other form is used rather than making a second one.'
        SubjectLevels = 'What dc:subject gets for People|Alice: AllLevels (People and Alice) or Leaf (Alice).'
        PassThru      = 'Emit the journal entry of each sidecar written.'
    }
    Examples    = @(
        @{
            Title   = 'Write everyone named Alice'
            Code    = 'Set-MediaFaceRegion -Library ~/Pictures -Person Alice'
            Remarks = 'Each photo with a face named Alice gets People|Alice and a face region named Alice.'
        }
        @{
            Title   = 'From a search, through review'
            Code    = 'Find-MediaFace -Library ~/Pictures -Anchor ./alice.jpg | Invoke-MediaReview | Set-MediaFaceRegion -Name Alice'
            Remarks = 'Only the photos approved in the browser are written. Undo-MediaXmpTag reverses the run.'
        }
    )
    Links       = @('Set-MediaFaceName', 'Find-MediaFace', 'Undo-MediaXmpTag', 'Set-MediaXmpTag')
}
