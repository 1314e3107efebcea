@{
    Synopsis    = 'Deletes all face data of a library: faces, face vectors and names.'
    Description = @'
Remove-MediaFace -All deletes <library>/.mediatagger/data/faces/ (every face box, landmark, score and name) and the face vectors in <library>/.mediatagger/data/embeddings/faces/. Photos, sidecars and the other indexes are not touched; regions already written to sidecars stay until you remove them. Add-MediaFace rebuilds the faces (not the names) later if wanted.
'@
    Parameters  = @{
        Library   = 'The library folder; by default the one used last in this session.'
        StorePath = 'The store folder of the library when it is not <library>/.mediatagger.'
        All       = 'Required: this deletes the face data of the whole library.'
    }
    Examples    = @(
        @{
            Title   = 'Forget every face'
            Code    = 'Remove-MediaFace -Library ~/Pictures -All'
            Remarks = 'Asks for confirmation; add -Confirm:$false in scripts.'
        }
    )
    Links       = @('Add-MediaFace')
}
