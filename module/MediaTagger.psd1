@{
    RootModule           = 'MediaTagger.PowerShell.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = '6f0f3c52-8f4e-4f0b-9a8e-3d1c2b7a9e41'
    Author               = 'MediaTagger contributors'
    CompanyName          = 'MediaTagger'
    Copyright            = '(c) MediaTagger contributors. MIT License.'
    Description          = 'Find every photo and video of a person, pet, place or thing in a large library, confirm the candidates by eye, and write the confirmed tags into XMP sidecars. Local and private.'
    PowerShellVersion    = '7.4'
    CompatiblePSEditions = @('Core')
    CmdletsToExport      = @(
        'Get-MediaAsset'
        'Set-MediaXmpTag'
        'Get-MediaXmpTag'
        'Remove-MediaXmpTag'
        'Undo-MediaXmpTag'
        'Get-MediaTaggerProfile'
        'Invoke-MediaReview'
        'New-MediaRep'
        'Add-MediaEmbedding'
        'Optimize-MediaStore'
        'Get-MediaTaggerModel'
        'Install-MediaTaggerModel'
        'Find-SimilarMedia'
        'New-MediaSubject'
        'Get-MediaSubject'
        'Remove-MediaSubject'
        'Find-MediaSubject'
        'Measure-MediaSubject'
        'Add-MediaSubjectDecision'
        'Find-MediaByText'
        'Add-MediaFace'
        'Get-MediaFace'
        'Find-MediaFace'
        'Group-MediaFace'
        'Set-MediaFaceName'
        'Remove-MediaFace'
        'Set-MediaFaceRegion'
    )
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    FormatsToProcess     = @(
        'MediaTagger.Library.format.ps1xml'
        'MediaTagger.Tags.format.ps1xml'
        'MediaTagger.Embeddings.format.ps1xml'
        'MediaTagger.Search.format.ps1xml'
        'MediaTagger.Subjects.format.ps1xml'
        'MediaTagger.Faces.format.ps1xml'
    )
    TypesToProcess       = @('MediaTagger.types.ps1xml')
    PrivateData          = @{
        PSData = @{
            Tags       = @('photo', 'video', 'xmp', 'tagging', 'clip', 'onnx', 'lightroom', 'digikam', 'search')
            LicenseUri = 'https://opensource.org/licenses/MIT'
        }
    }
}
