@{
    Synopsis    = 'Lists the faces found in a library: all of them, one person''s, or the unnamed ones.'
    Description = @'
Get-MediaFace reads the library's face store (filled by Add-MediaFace) and emits one MediaFace per face: the file, the face's index in it, its box (X, Y, Width, Height as fractions of the picture), the detector's Score, the video Frame and the person's Name once it has one.
'@
    Parameters  = @{
        Library   = 'The library folder; by default the one used last in this session.'
        StorePath = 'The store folder of the library when it is not <library>/.mediatagger.'
        Name      = 'Only faces named so (wildcards allowed).'
        Unnamed   = 'Only faces without a name.'
        Path      = 'Only the faces of these files (also from piped objects with a Path or FullName).'
    }
    Examples    = @(
        @{
            Title   = 'Everyone named Alice'
            Code    = "Get-MediaFace -Library ~/Pictures -Name Alice"
            Remarks = 'One row per face named Alice.'
        }
        @{
            Title   = 'Faces of one photo'
            Code    = "Get-ChildItem ~/Pictures/party.jpg | Get-MediaFace -Library ~/Pictures"
            Remarks = 'The faces found in that photo, in order.'
        }
    )
    Links       = @('Add-MediaFace', 'Set-MediaFaceName', 'Find-MediaFace')
}
