@{
    Synopsis    = 'Deletes a subject''s definition; its review decisions stay in the library''s review record.'
    Description = @'
Removes data/subjects/<name>.json. The decisions you made for it stay (they are the record of what a person said): a new subject of the same name picks them up again. Sidecars are not touched; use Remove-MediaXmpTag to take its tag off files.
'@
    Parameters  = @{
        Name      = 'Names of the subjects to remove. Pipeline input by property name (from Get-MediaSubject).'
        PassThru  = 'Writes the removed subject.'
        Library   = 'The library folder; default: the one used last in the session.'
        StorePath = 'The store folder when it is not <library>/.mediatagger.'
    }
    Examples    = @(
        @{
            Title   = 'Remove a subject, asking first'
            Code    = 'Remove-MediaSubject Teddy -Library ~/Pictures -Confirm'
            Remarks = 'Its decisions stay in ~/Pictures/.mediatagger/data/reviews.'
        }
    )
    Links       = @('New-MediaSubject', 'Get-MediaSubject')
}
