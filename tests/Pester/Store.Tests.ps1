BeforeAll {
    Import-Module $env:MEDIATAGGER_MODULE -Force
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:savedHome = $env:MEDIATAGGER_HOME
    # The built-in ResNet18 (no CLIP model installed in this home): real 512-d vectors of real photos.
    $env:MEDIATAGGER_HOME = New-TestFolder 'store-home'

    function Get-StoreFolder([string] $Library, [string] $Model = 'resnet18') { Join-Path $Library ".mediatagger/data/embeddings/$Model" }

    # Edits of the store's own files, as a user (or a disk) might make them.
    function Edit-Meta([string] $Library, [scriptblock] $Edit) {
        $file = Join-Path (Get-StoreFolder $Library) 'embeddings.meta.json'
        $meta = Get-Content $file -Raw | ConvertFrom-Json
        & $Edit $meta
        $meta | ConvertTo-Json | Set-Content $file
    }
    function Edit-Index([string] $Library, [scriptblock] $Edit) {
        $file = (Get-TestStore $Library resnet18).IndexPath
        Set-Content $file (@(Get-Content $file | ForEach-Object $Edit))
    }
    function Edit-Row([string] $Library, [int] $Row, [scriptblock] $Edit) {
        $file = (Get-TestStore $Library resnet18).DataPath
        $fs = [IO.File]::Open($file, 'Open', 'ReadWrite')
        try {
            $bytes = [byte[]]::new(2048)
            $fs.Position = $Row * 2048; $fs.ReadExactly($bytes, 0, 2048)
            $v = [float[]]::new(512); [Buffer]::BlockCopy($bytes, 0, $v, 0, 2048)
            $v = [float[]](& $Edit $v)
            [Buffer]::BlockCopy($v, 0, $bytes, 0, 2048)
            $fs.Position = $Row * 2048; $fs.Write($bytes, 0, 2048)
        }
        finally { $fs.Dispose() }
    }
}

AfterAll {
    Remove-TestFolder $env:MEDIATAGGER_HOME
    $env:MEDIATAGGER_HOME = $script:savedHome
}

Describe 'A damaged store: search and indexing refuse it, the named command repairs it' {
    BeforeAll {
        $lib = New-TestFolder 'dmg'
        $outside = New-TestFolder 'dmg-out'
        $photos = @(Get-TestPhoto -Format Jpeg -Count 6)
        for ($i = 0; $i -lt $photos.Count; $i++) { Copy-Item $photos[$i] (Join-Path $lib "p$i.jpg") }
        Copy-Item $photos[1] (Join-Path $outside 'anchor.jpg')
        $assets = @(Get-MediaAsset -Path $lib | New-MediaRep | Add-MediaEmbedding)
        $inside = Join-Path $lib 'p1.jpg'
        # A pristine copy of the store to start each case from.
        $pristine = Join-Path $outside 'pristine'
        Copy-Item (Get-StoreFolder $lib) $pristine -Recurse
    }
    AfterAll { Remove-TestFolder $lib; Remove-TestFolder $outside }
    BeforeEach {
        Remove-Item (Get-StoreFolder $lib) -Recurse -Force
        Copy-Item $pristine (Get-StoreFolder $lib) -Recurse
    }

    It '<Damage>: both anchors get <ErrorId> naming <Repair>; it repairs, and a photo scores 1 against itself again' -ForEach @(
        @{ Damage = 'meta dim 256'; ErrorId = 'MediaEmbeddingStoreModelMismatch'; Repair = 'Force'; Damage_ = { Edit-Meta $lib { param($m) $m.dim = 256 } } }
        @{ Damage = 'meta modelId'; ErrorId = 'MediaEmbeddingStoreModelMismatch'; Repair = 'Force'; Damage_ = { Edit-Meta $lib { param($m) $m.modelId = 'someone-else@1' } } }
        @{ Damage = 'commit count lowered'; ErrorId = 'MediaEmbeddingStoreDamaged'; Repair = 'Optimize'; Damage_ = { Edit-Index $lib { $_ -replace '^\{"commit":6\}$', '{"commit":4}' } } }
        @{ Damage = 'NaN row'; ErrorId = 'MediaEmbeddingStoreDamaged'; Repair = 'Optimize'; PerRow = $true; Damage_ = { Edit-Row $lib 2 { param($v) $v[7] = [float]::NaN; , $v } } }
        @{ Damage = 'non-unit row'; ErrorId = 'MediaEmbeddingStoreDamaged'; Repair = 'Optimize'; PerRow = $true; Damage_ = { Edit-Row $lib 3 { param($v) , [float[]]($v | ForEach-Object { $_ * 10 }) } } }
        @{ Damage = 'swapped rows'; ErrorId = 'MediaEmbeddingStoreDamaged'; Repair = 'Optimize'; PerRow = $true; Damage_ = {
                Edit-Row $lib 0 { param($v) $script:first = $v; , $v }
                Edit-Row $lib 1 { param($v) $script:second = $v; , $script:first }
                Edit-Row $lib 0 { param($v) , $script:second } } }
        @{ Damage = 'duplicate row'; ErrorId = 'MediaEmbeddingStoreDamaged'; Repair = 'Optimize'; Damage_ = { Edit-Index $lib { $_ -replace '"row":3,', '"row":2,' } } }
        @{ Damage = 'negative row'; ErrorId = 'MediaEmbeddingStoreDamaged'; Repair = 'Optimize'; Damage_ = { Edit-Index $lib { $_ -replace '"row":5,', '"row":-5,' } } }
        @{ Damage = 'deleted meta'; ErrorId = 'MediaEmbeddingStoreDamaged'; Repair = 'Force'; Damage_ = { Remove-Item (Join-Path (Get-StoreFolder $lib) 'embeddings.meta.json') } }
        @{ Damage = 'truncated data'; ErrorId = 'MediaEmbeddingStoreDamaged'; Repair = 'Optimize'; Damage_ = { $f = [IO.File]::Open((Get-TestStore $lib resnet18).DataPath, 'Open'); $f.SetLength($f.Length - 100); $f.Dispose() } }
    ) {
        & $Damage_
        $command = if ($Repair -eq 'Force') { "Add-MediaEmbedding -Library '$lib' -Model resnet18 -Force" } else { "Optimize-MediaStore -Library '$lib' -Model resnet18" }

        foreach ($anchor in $inside, (Join-Path $outside 'anchor.jpg')) {
            $err = $null
            try { Find-SimilarMedia -Library $lib -Anchor $anchor -MinScore -1 | Out-Null } catch { $err = $_ }
            $err | Should -Not -BeNullOrEmpty -Because "a search with '$anchor' must not answer from a store with $Damage"
            $err.FullyQualifiedErrorId | Should -BeLike "$ErrorId*"
            $err.Exception.Message | Should -Match ([regex]::Escape($command))
            $err.Exception.Message | Should -Not -Match 'promises'
        }
        if (-not $PerRow) {
            # Indexing agrees (the per-row check needs every row read: only a load into memory runs it).
            { Add-MediaEmbedding -Library $lib } | Should -Throw -ErrorId "$ErrorId*"
        }

        Invoke-Expression $command | Out-Null
        Add-MediaEmbedding -Library $lib | Out-Null
        $m = @(Find-SimilarMedia -Library $lib -Anchor $inside -MinScore -1)
        $m.Count | Should -Be 6
        $m[0].Path | Should -Be $inside
        $m[0].Score | Should -BeGreaterThan 0.9999
        $store = Get-TestStore $lib resnet18
        $store.Live.Count | Should -Be 6
    }

    It 'Add-MediaEmbedding -Force repairs every case too' -ForEach @(
        @{ Damage_ = { Edit-Row $lib 2 { param($v) $v[7] = [float]::NaN; , $v } } }
        @{ Damage_ = { Edit-Index $lib { $_ -replace '"row":3,', '"row":2,' } } }
    ) {
        & $Damage_
        @(Add-MediaEmbedding -Library $lib -Force -WarningVariable warn).Count | Should -Be 6
        "$warn" | Should -Match 'repaired'
        (Find-SimilarMedia -Library $lib -Anchor $inside -MinScore -1)[0].Score | Should -BeGreaterThan 0.9999
    }
}

Describe 'Frames, compaction and migration through the module' {
    BeforeAll {
        $lib = New-TestFolder 'frames'
        $photos = @(Get-TestPhoto -Format Jpeg -Count 4)
        for ($i = 0; $i -lt 3; $i++) { Copy-Item $photos[$i] (Join-Path $lib "p$i.jpg") }
        & ffmpeg -v error -y -loop 1 -i $photos[3] -t 3 -r 10 -pix_fmt yuv420p -c:v libx264 -vf 'scale=320:200' (Join-Path $lib 'clip.mp4')
        if ($LASTEXITCODE) { throw 'ffmpeg failed' }
        Get-MediaAsset -Path $lib | Out-Null
    }
    AfterAll { Remove-TestFolder $lib }

    It 're-rendering a video with fewer frames replaces all its frame rows, and search names a frame that exists' {
        $clip = Get-MediaAsset -Library $lib -Cached | Where-Object Name -EQ 'clip.mp4'
        $clip | New-MediaRep -FramesPerVideo 5 | Add-MediaEmbedding | Out-Null
        Get-MediaAsset -Library $lib -Cached | Where-Object Name -NE 'clip.mp4' | New-MediaRep | Add-MediaEmbedding | Out-Null
        @((Get-TestStore $lib resnet18).Live.Keys | Where-Object { $_ -like "$($clip.Id)*" }).Count | Should -Be 5

        $clip | New-MediaRep -FramesPerVideo 1 -Force | Out-Null
        Add-MediaEmbedding -Library $lib -InformationVariable info | Out-Null
        "$info" | Should -Match '^1 embedded, 3 already current'
        @((Get-TestStore $lib resnet18).Live.Keys | Where-Object { $_ -like "$($clip.Id)*" }) | Should -Be @($clip.Id)
        $match = Find-SimilarMedia -Library $lib -Anchor (Join-Path $lib 'clip.mp4') -MinScore -1 | Where-Object Name -EQ 'clip.mp4'
        $match.BestFrame | Should -BeIn @($null, 1)
    }

    It 'compacts on its own past a quarter superseded, and on request with -WhatIf and -PassThru, dropping assets no longer catalogued' {
        # Every rep rendered again: all rows superseded, so the run compacts.
        $verbose = Get-MediaAsset -Library $lib -Cached | New-MediaRep -Force | Add-MediaEmbedding -Verbose 4>&1 | Where-Object { $_ -is [Management.Automation.VerboseRecord] }
        "$verbose" | Should -Match 'Compacted the ''resnet18'' store'
        $store = Get-TestStore $lib resnet18
        $store.Superseded | Should -Be 0
        $store.Live.Count | Should -Be 4

        Remove-Item (Join-Path $lib 'p2.jpg')
        Get-MediaAsset -Path $lib | Out-Null
        Optimize-MediaStore -Library $lib -WhatIf | Should -BeNullOrEmpty
        (Get-TestStore $lib resnet18).Live.Count | Should -Be 4
        $r = Optimize-MediaStore -Library $lib -PassThru -InformationVariable info
        $r | Should -BeOfType ([MediaTagger.Core.Store.StoreCompaction])
        $r.Model | Should -Be 'resnet18'
        ($r.RowsBefore, $r.RowsAfter, $r.Removed, $r.Damaged) | Should -Be @(4, 3, 1, 0)
        "$info" | Should -Match '4 rows to 3'
        ($r | Format-Table | Out-String) | Should -Match 'RowsBefore'
        Optimize-MediaStore -Library $lib | Should -BeNullOrEmpty
        { Optimize-MediaStore -Library $lib -Model nosuch -ErrorAction Stop } | Should -Throw -ErrorId 'MediaEmbeddingStoreMissing*'
    }

    It 'reads a store in the 0.1 format as it is, and upgrades it in place on the first write, keeping what is current' {
        $folder = Get-StoreFolder $lib
        $store = Get-TestStore $lib resnet18
        $entries = @($store.EntriesByRow())
        # Rewrite the store exactly as MediaTagger 0.1 laid it out.
        $fs = [IO.File]::OpenRead($store.DataPath)
        $bytes = [byte[]]::new($fs.Length); $fs.ReadExactly($bytes, 0, $bytes.Length); $fs.Dispose()
        $index = [ordered]@{}; $stamps = [ordered]@{}
        foreach ($e in $entries) { $index[$e.Key] = $e.Row; $stamps[$e.Key] = $e.Stamp }
        $meta = Get-Content (Join-Path $folder 'embeddings.meta.json') -Raw | ConvertFrom-Json
        Get-ChildItem $folder | Remove-Item
        [IO.File]::WriteAllBytes((Join-Path $folder 'embeddings.f32'), $bytes)
        $index | ConvertTo-Json -Compress | Set-Content (Join-Path $folder 'embeddings.index.json')
        $stamps | ConvertTo-Json -Compress | Set-Content (Join-Path $folder 'embeddings.stamps.json')
        [ordered]@{ formatVersion = 1; model = 'resnet18'; modelId = $meta.modelId; dim = 512; count = $entries.Count; preprocessing = $meta.preprocessing; dtype = 'float32'; byteOrder = 'little'; normalized = $true } |
            ConvertTo-Json | Set-Content (Join-Path $folder 'embeddings.meta.json')

        (Find-SimilarMedia -Library $lib -Anchor (Join-Path $lib 'p0.jpg') -MinScore -1)[0].Score | Should -BeGreaterThan 0.9999
        (Get-ChildItem $folder).Name | Should -Contain 'embeddings.f32'

        Add-MediaEmbedding -Library $lib -InformationVariable info | Out-Null
        "$info" | Should -Match '^0 embedded, 3 already current'
        Copy-Item (Join-Path $lib 'p0.jpg') (Join-Path $lib 'p9.jpg')
        Get-MediaAsset -Path $lib | New-MediaRep | Add-MediaEmbedding | Out-Null
        (Get-ChildItem $folder -Force).Name | Sort-Object | Should -Be @('embeddings.g0001.f32', 'embeddings.g0001.index.jsonl', 'embeddings.lock', 'embeddings.meta.json')
        $migrated = Get-TestStore $lib resnet18
        $migrated.Meta.FormatVersion | Should -Be 2
        $migrated.Live.Count | Should -Be 4
        (Find-SimilarMedia -Library $lib -Anchor (Join-Path $lib 'p0.jpg') -MinScore -1 | Select-Object -First 2).Score | ForEach-Object { $_ | Should -BeGreaterThan 0.9999 }
    }
}

Describe 'Several writers and crashes' {
    BeforeAll {
        $lib = New-TestFolder 'writers'
        $photos = @(Get-TestPhoto -Format Jpeg)
        for ($i = 0; $i -lt 24; $i++) { Copy-Item $photos[$i % $photos.Count] (Join-Path $lib ('img{0:D2}.jpg' -f $i)) }
        Get-MediaAsset -Path $lib | New-MediaRep | Out-Null
        $folder = Get-StoreFolder $lib

        function Assert-NoDebris {
            @(Get-ChildItem $folder, (Join-Path $lib '.mediatagger/data'), (Join-Path $lib '.mediatagger/derivatives/reps') -Force -Filter '.*.tmp') | Should -BeNullOrEmpty
            $meta = Get-Content (Join-Path $folder 'embeddings.meta.json') -Raw | ConvertFrom-Json
            $gen = '{0:D4}' -f $meta.generation
            (Get-ChildItem $folder -Force).Name | Sort-Object | Should -Be @("embeddings.g$gen.f32", "embeddings.g$gen.index.jsonl", 'embeddings.lock', 'embeddings.meta.json')
        }
    }
    AfterAll { Remove-TestFolder $lib }

    It 'two Add-MediaEmbedding processes on one library: no lost rows, no key stored twice' {
        $a = Start-ModuleProcess -Script "Add-MediaEmbedding -Library '$lib' -BatchSize 2 -InformationAction Continue | Out-Null"
        $b = Start-ModuleProcess -Script "Add-MediaEmbedding -Library '$lib' -BatchSize 3 -InformationAction Continue | Out-Null"
        try {
            $outA = $a.StandardOutput.ReadToEndAsync(); $outB = $b.StandardOutput.ReadToEndAsync()
            $a.WaitForExit(300000) | Should -BeTrue
            $b.WaitForExit(300000) | Should -BeTrue
            $a.ExitCode | Should -Be 0 -Because $a.StandardError.ReadToEnd()
            $b.ExitCode | Should -Be 0 -Because $b.StandardError.ReadToEnd()
            foreach ($out in $outA.Result, $outB.Result) { $out | Should -Match '(\d+) embedded, (\d+) already current, 0 failed' }
        }
        finally { Stop-ProcessTree $a; Stop-ProcessTree $b }
        $store = Get-TestStore $lib resnet18
        $store.Live.Count | Should -Be 24
        # A row written by both (same rep, same vector) is stored once; at most what both computed at the same moment differs.
        $store.Rows | Should -BeLessOrEqual 48
        (Add-MediaEmbedding -Library $lib -InformationVariable info | Measure-Object).Count | Should -Be 24
        "$info" | Should -Match '^0 embedded, 24 already current'
        Optimize-MediaStore -Library $lib -PassThru | ForEach-Object RowsAfter | Should -Be 24
    }

    It 'kill -9 at random moments of an append: the store always loads, the next run finishes with no key twice and no debris' {
        Remove-Item $folder -Recurse -Force
        foreach ($attempt in 1..3) {
            $p = Start-ModuleProcess -Script "Add-MediaEmbedding -Library '$lib' -BatchSize 1 | Out-Null"
            try { Start-Sleep -Milliseconds (Get-Random -Minimum 1500 -Maximum 6000) }
            finally { Stop-ProcessTree $p }
            if (Test-Path (Join-Path $folder 'embeddings.meta.json')) {
                $store = Get-TestStore $lib resnet18
                $store.Live.Count | Should -BeLessOrEqual 24
                if ($store.Live.Count) { (Find-SimilarMedia -Library $lib -Anchor (Join-Path $lib 'img00.jpg') -MinScore -1 -K 1) | Should -Not -BeNullOrEmpty }
            }
        }
        $out = @(Add-MediaEmbedding -Library $lib)
        $out.Count | Should -Be 24
        $store = Get-TestStore $lib resnet18
        $store.Live.Count | Should -Be 24
        $store.Rows | Should -Be 24 -Because 'a killed batch is cut off, never kept beside its re-run'
        Assert-NoDebris
    }

    It 'kill -9 at random moments of a compaction: the old or the new store loads, the next run leaves no debris' {
        # A store big enough that compacting takes a while: 60,000 rows of which half are superseded.
        $big = New-TestFolder 'bigstore'
        try {
            $at = [MediaTagger.Core.Store.StoreLocation]::new([MediaTagger.Core.Library.MediaLibrary]::Open($big), 'bench')
            $store = [MediaTagger.Core.Store.EmbeddingStore]::OpenOrCreate($at.Library, 'bench', 'bench@1', 512, 'x', $false)
            $v = [float[]]::new(512); $v[0] = 1
            foreach ($stamp in 'old', 'new') {
                $rows = [System.Collections.Generic.List[MediaTagger.Core.Store.StoreRow]]::new()
                for ($i = 0; $i -lt 30000; $i++) { $rows.Add([MediaTagger.Core.Store.StoreRow]::new($i.ToString('x40'), $stamp, $v)) }
                $store.Append($rows)
            }
            $bigFolder = $at.Folder
            foreach ($attempt in 1..3) {
                $p = Start-ModuleProcess -Script "Optimize-MediaStore -Library '$big' -Model bench"
                try { Start-Sleep -Milliseconds (Get-Random -Minimum 900 -Maximum 3000) }
                finally { Stop-ProcessTree $p }
                $s = Get-TestStore $big bench
                $s.Live.Count | Should -Be 30000
                $s.Rows | Should -BeIn @(30000, 60000)
            }
            $r = Optimize-MediaStore -Library $big -Model bench -PassThru
            $r.RowsAfter | Should -Be 30000
            @(Get-ChildItem $bigFolder -Force -Filter '.*.tmp') | Should -BeNullOrEmpty
            @(Get-ChildItem $bigFolder -Force -Filter '*.f32').Count | Should -Be 1
            @(Get-ChildItem $bigFolder -Force -Filter '*.index.jsonl').Count | Should -Be 1
        }
        finally { Remove-TestFolder $big }
    }
}
