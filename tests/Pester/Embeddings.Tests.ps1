BeforeAll {
    Import-Module $env:MEDIATAGGER_MODULE -Force
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    # Tiny CLIP-shaped ONNX models are written at test time by the same code the xunit tests use.
    if (-not ('MediaTagger.TestSupport.TinyClip' -as [type])) {
        Add-Type -Path (Join-Path $env:MEDIATAGGER_REPO 'tests/MediaTagger.Core.Tests/Embeddings/TinyClip.cs')
    }
    # Magick.NET (shipped in the module) makes the coloured test pictures.
    foreach ($dll in 'Magick.NET.Core.dll', 'Magick.NET-Q8-AnyCPU.dll') { Add-Type -Path (Join-Path $env:MEDIATAGGER_MODULE $dll) }
    $script:savedHome = $env:MEDIATAGGER_HOME

    function Use-ModelHome {
        $env:MEDIATAGGER_HOME = New-TestFolder 'home'
        $env:MEDIATAGGER_HOME
    }

    function New-ColourPhoto([string] $Path, [string] $Colour) {
        $image = [ImageMagick.MagickImage]::new("gradient:$Colour-black", [ImageMagick.MagickReadSettings]@{ Width = 400; Height = 300 })
        try { $image.Write($Path, [ImageMagick.MagickFormat]::Jpeg) } finally { $image.Dispose() }
    }

    # The live rows of a store as search loads them (through the store's owner, every row checked).
    function Get-StoreRows([string] $Library, [string] $Model) {
        $at = [MediaTagger.Core.Store.StoreLocation]::new([MediaTagger.Core.Library.MediaLibrary]::Open($Library), $Model)
        $slot = [MediaTagger.Core.Search.ResidentStoreSlot]::new($at)
        $lease = $slot.Acquire([NullString]::Value, 0, [Threading.CancellationToken]::None)
        try {
            $store = $lease.Store
            $rows = @{}
            for ($i = 0; $i -lt $store.RowCount; $i++) { $rows[$store.Keys[$i]] = $store.CopyRow($i) }
            [pscustomobject]@{ Keys = @($store.Keys); Rows = $rows }
        }
        finally { $lease.Dispose(); $slot.Dispose() }
    }

    function Get-Vector($Store, [string] $Key) {
        if (-not $Store.Rows.ContainsKey($Key)) { throw "no vector for $Key" }
        $Store.Rows[$Key]
    }

    function Get-Cosine([float[]] $A, [float[]] $B) { [MediaTagger.Core.Models.VectorMath]::Cosine($A, $B) }
}

AfterAll {
    $env:MEDIATAGGER_HOME = $script:savedHome
}

Describe 'Get-MediaTaggerModel and Install-MediaTaggerModel' {
    BeforeAll {
        $modelHome = Use-ModelHome
        $work = New-TestFolder 'models'
        $tiny = [MediaTagger.TestSupport.TinyClip]::WriteHuggingFace((Join-Path $work 'clip-tiny'), $false, $false, $true)
    }
    AfterAll { Remove-TestFolder $work; Remove-TestFolder $modelHome }

    It 'lists the built-in ResNet18 as the default while no CLIP model is installed' {
        $models = @(Get-MediaTaggerModel)
        $models.Name | Should -Be @('resnet18')
        $models[0].IsDefault | Should -BeTrue
        $models[0].SupportsText | Should -BeFalse
        $models[0].Dimension | Should -Be 512
        (Get-MediaTaggerModel -ListAvailable).Name | Should -Be @('clip-vit-base-patch32', 'clip-vit-base-patch16', 'clip-vit-large-patch14', 'immich-vit-b-32-openai')
        (Get-MediaTaggerModel -ListAvailable | Where-Object Installed) | Should -BeNullOrEmpty
    }

    It 'imports a model folder (offline install), checks it loads, and makes it the default' {
        Install-MediaTaggerModel -Path $tiny -WhatIf
        Get-MediaTaggerModel -Name clip-tiny -ErrorAction SilentlyContinue | Should -BeNullOrEmpty

        $installed = Install-MediaTaggerModel -Path $tiny -PassThru
        $installed.Name | Should -Be 'clip-tiny'
        $installed.Kind | Should -Be 'CLIP'
        $installed.Dimension | Should -Be 4
        $installed.SupportsText | Should -BeTrue
        $installed.IsDefault | Should -BeTrue
        Test-Path (Join-Path $modelHome 'models/clip-tiny/onnx/vision_model.onnx') | Should -BeTrue
        $manifest = Get-Content (Join-Path $modelHome 'models/clip-tiny/mediatagger-model.json') -Raw | ConvertFrom-Json
        ($manifest.files | Where-Object path -EQ 'onnx/vision_model.onnx').sha256 | Should -Be (Get-FileHash (Join-Path $tiny 'onnx/vision_model.onnx') -Algorithm SHA256).Hash.ToLowerInvariant()

        (Get-MediaTaggerModel | Where-Object IsDefault).Name | Should -Be 'clip-tiny'
        Install-MediaTaggerModel -Path $tiny -InformationVariable info
        "$info" | Should -Match 'already installed'
    }

    It 'reports a folder that is not a model, and an unknown catalog name, with stable ids' {
        { Install-MediaTaggerModel -Path $work -Name nothing } | Should -Throw -ErrorId 'MediaModelFolderInvalid*'
        { Install-MediaTaggerModel -Name no-such-model } | Should -Throw -ErrorId 'MediaModelNotInCatalog*'
        Get-MediaTaggerModel -Name no-such-model -ErrorVariable err -ErrorAction SilentlyContinue
        Get-ErrorIds $err | Should -Be 'MediaModelNotInstalled'
    }

    It 'refuses text search with the built-in model, naming Install-MediaTaggerModel' {
        $model = [MediaTagger.PowerShell.State.ModelSessions]::Get('resnet18', $null)
        $err = { $model.EmbedText('a dog') } | Should -Throw -PassThru
        $err.Exception.InnerException.ErrorId | Should -Be 'MediaModelHasNoTextTower'
        $err.Exception.InnerException.Message | Should -Match 'Install-MediaTaggerModel'
    }
}

Describe 'Add-MediaEmbedding' {
    BeforeAll {
        $modelHome = Use-ModelHome
        $lib = New-TestFolder 'emb'
        $photos = @(Get-TestPhoto -Count 3)
        for ($i = 0; $i -lt $photos.Count; $i++) { Copy-Item $photos[$i] (Join-Path $lib "photo$i$([IO.Path]::GetExtension($photos[$i]))") }
        New-ColourPhoto (Join-Path $lib 'red.jpg') 'red'
        New-ColourPhoto (Join-Path $lib 'blue.jpg') 'blue'
        $tinyFolder = [MediaTagger.TestSupport.TinyClip]::WriteHuggingFace((Join-Path $modelHome 'src-tiny'), $true, $true, $true)
    }
    AfterAll { Remove-TestFolder $lib; Remove-TestFolder $modelHome }

    It 'embeds with the built-in ResNet18 when no CLIP model is installed: a photo and its resized copy are close' {
        $copy = Join-Path $lib 'photo0-small.jpg'
        $image = [ImageMagick.MagickImage]::new($photos[0])
        try { $image.Resize(480, 480); $image.Write($copy, [ImageMagick.MagickFormat]::Jpeg) } finally { $image.Dispose() }

        $out = @(Get-MediaAsset -Path $lib | New-MediaRep | Add-MediaEmbedding -InformationVariable info)
        $out.Count | Should -Be 6
        $out[0] | Should -BeOfType ([MediaTagger.Core.Library.MediaAsset])
        "$info" | Should -Match '^6 embedded, 0 already current, 0 failed \(model resnet18\)'
        $meta = Get-Content (Join-Path $lib '.mediatagger/data/embeddings/resnet18/embeddings.meta.json') -Raw | ConvertFrom-Json
        $meta.dim | Should -Be 512
        $meta.modelId | Should -Match '^Microsoft\.ML\.DnnImageFeaturizer\.ResNet18@sha256:'
        $stored = Get-TestStore $lib resnet18
        $stored.Live.Count | Should -Be 6
        (Get-Item $stored.DataPath).Length | Should -Be (6 * 512 * 4)

        $store = Get-StoreRows $lib 'resnet18'
        $id = @{}; foreach ($a in $out) { $id[$a.Name] = $a.Id }
        $same = Get-Cosine (Get-Vector $store $id['photo0-small.jpg']) (Get-Vector $store $id[(Split-Path $out.Where({ $_.Name -like 'photo0.*' })[0].Path -Leaf)])
        $other = Get-Cosine (Get-Vector $store $id['photo0-small.jpg']) (Get-Vector $store $id[(Split-Path $out.Where({ $_.Name -like 'photo1.*' })[0].Path -Leaf)])
        $same | Should -BeGreaterThan 0.9
        ($same - $other) | Should -BeGreaterThan 0.2
        Remove-Item $copy
    }

    It 'uses an installed CLIP model by default, stores text-searchable vectors, and skips current ones on the next run' {
        Install-MediaTaggerModel -Path $tinyFolder -Name tiny
        $assets = @(Get-MediaAsset -Path $lib | New-MediaRep)
        $out = @($assets | Add-MediaEmbedding -BatchSize 2 -InformationVariable info)
        $out.Count | Should -Be 5
        "$info" | Should -Match '^5 embedded'
        $store = Get-StoreRows $lib 'tiny'
        $store.Keys.Count | Should -Be 5
        $text = [MediaTagger.PowerShell.State.ModelSessions]::Get('tiny', $null).EmbedText('red')
        $scores = foreach ($a in $assets) { [pscustomobject]@{ Name = $a.Name; Score = Get-Cosine $text (Get-Vector $store $a.Id) } }
        ($scores | Sort-Object Score -Descending | Select-Object -First 1).Name | Should -Be 'red.jpg'

        $again = @(Add-MediaEmbedding -Library $lib -InformationVariable info2)
        $again.Count | Should -Be 5
        "$info2" | Should -Match '^0 embedded, 5 already current'
        # The resnet18 store of the same library is untouched: models never mix.
        (Get-TestStore $lib resnet18).Rows | Should -Be 6
    }

    It 'takes files from Get-ChildItem and -Model, -Force re-embeds, -WhatIf writes nothing' {
        $data = (Get-TestStore $lib tiny).DataPath
        $before = (Get-Item $data).Length
        Get-ChildItem $lib -Filter '*.jpg' | Add-MediaEmbedding -Model tiny -Force -WhatIf | Should -BeNullOrEmpty
        (Get-Item $data).Length | Should -Be $before
        $out = @(Get-ChildItem $lib -Filter 'red.jpg' | Add-MediaEmbedding -Model tiny -Force -InformationVariable info)
        $out.Name | Should -Be 'red.jpg'
        "$info" | Should -Match '^1 embedded'
        # Computed again; stored again only if the vector came out different (the old row is then superseded, never duplicated).
        $store = Get-TestStore $lib tiny
        $store.Live.Count | Should -Be 5
        (Get-Item $store.DataPath).Length | Should -BeIn @($before, ($before + 4 * 4))
    }

    It 'renders a missing rep (recorded in the catalog), and reports a file that has none and a file outside the catalog, one error each' {
        New-ColourPhoto (Join-Path $lib 'new.jpg') 'green'
        Set-Content (Join-Path $lib 'corrupt.jpg') 'this is not a jpeg'
        $fresh = @(Get-MediaAsset -Path (Join-Path $lib 'new.jpg'), (Join-Path $lib 'corrupt.jpg') -Library $lib)
        foreach ($a in $fresh) { $a.PSObject.Properties['RepPath'] | Should -BeNullOrEmpty }
        $out = @($fresh | Add-MediaEmbedding -Model tiny -ErrorVariable err -ErrorAction SilentlyContinue)
        $out.Name | Should -Be 'new.jpg'
        $err.Count | Should -Be 1
        @(Get-ErrorIds $err)[0] | Should -BeLike 'MediaRep*'
        $err[0].TargetObject | Should -Be (Join-Path $lib 'corrupt.jpg')
        $new = Get-MediaAsset -Library $lib -Cached | Where-Object Name -EQ 'new.jpg'
        [MediaTagger.Core.Reps.RepIndex]::Load([MediaTagger.Core.Library.MediaLibrary]::Open($lib)).Get($new.Id).FramePaths($new)[0] | Should -Exist
        $store = Get-StoreRows $lib 'tiny'
        $store.Keys | Should -Contain $out[0].Id

        $loose = Join-Path $lib 'not-scanned.txt'
        Set-Content $loose 'x'
        Add-MediaEmbedding -Path $loose -Model tiny -ErrorVariable err2 -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        Get-ErrorIds $err2 | Should -Be 'MediaEmbeddingAssetNotCataloged'
        Remove-Item (Join-Path $lib 'new.jpg'), (Join-Path $lib 'corrupt.jpg'), $loose
        Get-MediaAsset -Path $lib | Out-Null
    }

    It 'stops with a stable error on a damaged store and repairs it with -Force' {
        $f32 = (Get-TestStore $lib tiny).DataPath
        $fs = [IO.File]::Open($f32, 'Open'); $fs.SetLength($fs.Length - 5); $fs.Dispose()
        { Add-MediaEmbedding -Library $lib -Model tiny } | Should -Throw -ErrorId 'MediaEmbeddingStoreDamaged*'
        @(Add-MediaEmbedding -Library $lib -Model tiny -Force -WarningVariable warn).Count | Should -Be 5
        "$warn" | Should -Match 'repaired'
        (Get-TestStore $lib tiny).Live.Count | Should -Be 5
    }

    It 'an unknown model is one terminating error that names Install-MediaTaggerModel' {
        $err = { Add-MediaEmbedding -Library $lib -Model clip-vit-large-patch14 } | Should -Throw -ErrorId 'MediaModelNotInstalled*' -PassThru
        "$err" | Should -Match 'Install-MediaTaggerModel -Name clip-vit-large-patch14'
    }

    It 'runs with the inference settings MEDIATAGGER_INFERENCE gives, the same vectors, and refuses a bad value with a stable error' {
        $before = Get-StoreRows $lib 'tiny'
        try {
            $env:MEDIATAGGER_INFERENCE = 'batch=2,threads=1,lanes=2'
            @(Add-MediaEmbedding -Library $lib -Model tiny -Force).Count | Should -Be 5
            [MediaTagger.PowerShell.State.ModelSessions]::Get('tiny', $null).Settings.ToString() | Should -BeLike 'batch 2, 1 intra-op thread(s), 2 call(s) at once*'
            $after = Get-StoreRows $lib 'tiny'
            foreach ($key in $before.Keys) { Get-Cosine (Get-Vector $after $key) (Get-Vector $before $key) | Should -BeGreaterThan 0.9999 }
            $env:MEDIATAGGER_INFERENCE = 'batch=many'
            $err = { Add-MediaEmbedding -Library $lib -Model tiny -Force } | Should -Throw -ErrorId 'MediaInferenceSettingsInvalid*' -PassThru
            "$err" | Should -Match 'MEDIATAGGER_INFERENCE'
        }
        finally { $env:MEDIATAGGER_INFERENCE = $null }
    }
}

Describe 'Add-MediaEmbedding after a crash' {
    It 'resumes where a killed run stopped, with a readable store and no vector computed twice' {
        $modelHome = Use-ModelHome
        $lib = New-TestFolder 'crash'
        try {
            $photos = @(Get-TestPhoto -Format Jpeg)
            for ($i = 0; $i -lt 24; $i++) { Copy-Item $photos[$i % $photos.Count] (Join-Path $lib ('img{0:D2}.jpg' -f $i)) }
            Get-MediaAsset -Path $lib | New-MediaRep | Out-Null
            $meta = Join-Path $lib '.mediatagger/data/embeddings/resnet18/embeddings.meta.json'
            $p = Start-ModuleProcess -Script "Add-MediaEmbedding -Library '$lib' -BatchSize 2 | Out-Null"
            try {
                # Kill it once the first batches are committed (a crash at an arbitrary later moment).
                $deadline = [DateTime]::UtcNow.AddSeconds(120)
                while (-not (Test-Path $meta) -and -not $p.HasExited -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 20 }
                Start-Sleep -Milliseconds 150
            }
            finally { Stop-ProcessTree $p }
            $committed = (Get-TestStore $lib resnet18).Live.Count
            $committed | Should -BeGreaterThan 0

            $out = @(Add-MediaEmbedding -Library $lib -InformationVariable info)
            $out.Count | Should -Be 24
            ("$info" -match '^(\d+) embedded, (\d+) already current, 0 failed') | Should -BeTrue -Because "$info"
            [int]$Matches[2] | Should -BeGreaterOrEqual $committed
            ([int]$Matches[1] + [int]$Matches[2]) | Should -Be 24
            $store = Get-TestStore $lib resnet18
            $store.Live.Count | Should -Be 24
            $store.Rows | Should -Be 24
            (Get-Item $store.DataPath).Length | Should -Be (24 * 512 * 4)
        }
        finally {
            Remove-TestFolder $lib
            Remove-TestFolder $modelHome
        }
    }
}

Describe 'ONNX Runtime privacy' {
    It 'writes no telemetry files under the home folder' {
        $fakeHome = New-TestFolder 'home'
        $lib = New-TestFolder 'tel'
        $savedUserHome = $env:HOME
        $savedModelHome = $env:MEDIATAGGER_HOME
        try {
            Copy-Item (Get-TestPhoto -Count 1) (Join-Path $lib 'a.jpg')
            $env:HOME = $fakeHome
            $env:MEDIATAGGER_HOME = Join-Path $fakeHome 'mt'
            $p = Start-ModuleProcess -Script "Get-MediaAsset -Path '$lib' | New-MediaRep | Add-MediaEmbedding | Out-Null; 'done'"
            $stdout = $p.StandardOutput.ReadToEnd()
            $p.WaitForExit(120000) | Should -BeTrue
            # The last line: a first scan also tells the person where the new library is.
            ($stdout.Trim() -split '\r?\n')[-1] | Should -Be 'done' -Because $p.StandardError.ReadToEnd()
            (Get-TestStore $lib resnet18).Live.Count | Should -Be 1
            Get-ChildItem $fakeHome -Recurse -Force -ErrorAction Ignore | Where-Object FullName -Match 'onnxruntime' | Should -BeNullOrEmpty
        }
        finally {
            $env:HOME = $savedUserHome
            $env:MEDIATAGGER_HOME = $savedModelHome
            Remove-TestFolder $fakeHome
            Remove-TestFolder $lib
        }
    }
}

Describe 'Module state' {
    It 'keeps one model session per model and disposes it on Remove-Module' {
        $modelHome = Use-ModelHome
        try {
            $photo = Get-TestPhoto -Count 1
            $first = [MediaTagger.PowerShell.State.ModelSessions]::Get($null, $null)
            [object]::ReferenceEquals($first, [MediaTagger.PowerShell.State.ModelSessions]::Get('resnet18', $null)) | Should -BeTrue
            $first.EmbedImages([string[]]@($photo), [Threading.CancellationToken]::None)[0].Length | Should -Be 512
            Remove-Module MediaTagger
            { $first.EmbedImages([string[]]@($photo), [Threading.CancellationToken]::None) } | Should -Throw
            Import-Module $env:MEDIATAGGER_MODULE -Force
            $second = [MediaTagger.PowerShell.State.ModelSessions]::Get($null, $null)
            [object]::ReferenceEquals($first, $second) | Should -BeFalse
            $second.EmbedImages([string[]]@($photo), [Threading.CancellationToken]::None)[0].Length | Should -Be 512
        }
        finally {
            Import-Module $env:MEDIATAGGER_MODULE -Force
            Remove-TestFolder $modelHome
        }
    }
}
