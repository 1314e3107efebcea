@{
    Synopsis    = 'Lists the installed embedding models, or the models that can be installed.'
    Description = @'
Shows each installed model with its kind (CLIP: image and text search; ResNet18: the built-in model, image search only), the length of its vectors (Dim), whether it can search by text, its size and where it came from. Default marks the model that Add-MediaEmbedding and the searches use when you name none: the profile's model, else an installed CLIP model, else the built-in ResNet18.

With -ListAvailable it lists the models of the download catalog instead, with Installed telling which you already have.
'@
    Parameters  = @{
        Name          = 'Only the models whose name matches (wildcards allowed).'
        ListAvailable = 'List the models Install-MediaTaggerModel can download, installed or not.'
        Profile       = 'Mark as Default the model this profile would use.'
    }
    Examples    = @(
        @{
            Title   = 'What is installed?'
            Code    = 'Get-MediaTaggerModel'
            Remarks = 'Always lists at least the built-in resnet18.'
        }
        @{
            Title   = 'What can I install?'
            Code    = 'Get-MediaTaggerModel -ListAvailable'
            Remarks = 'Then Install-MediaTaggerModel -Name <name>.'
        }
    )
    Links       = @('Install-MediaTaggerModel', 'Add-MediaEmbedding')
}
