BeforeAll {
    Import-Module $env:MEDIATAGGER_MODULE -Force
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force

    # A unit vector in the plane of axes 0 and 1 at $Angle radians, or along one axis.
    function Get-Vec([double] $Angle, [int] $Axis = -1, [int] $Dim = 8) {
        $v = [float[]]::new($Dim)
        if ($Axis -ge 0) { $v[$Axis] = 1 } else { $v[0] = [math]::Cos($Angle); $v[1] = [math]::Sin($Angle) }
        , $v
    }

    # Writes vectors with the real store writer (as Add-MediaEmbedding does) for keys "<asset id>" or "<asset id>#<frame>".
    function Add-TestVector([string] $Library, [string] $Model, [hashtable] $Rows, [string] $ModelId = "$Model@test", [int] $Dim = 8) {
        $lib = [MediaTagger.Core.Library.MediaLibrary]::Open($Library)
        $store = [MediaTagger.Core.Store.EmbeddingStore]::OpenOrCreate($lib, $Model, $ModelId, $Dim, 'test')
        $list = [System.Collections.Generic.List[MediaTagger.Core.Store.StoreRow]]::new()
        foreach ($k in $Rows.Keys) { $list.Add([MediaTagger.Core.Store.StoreRow]::new($k, 'stamp', $Rows[$k])) }
        $store.Append($list)
    }

    function New-File([string] $Path) {
        New-Item -ItemType Directory -Force (Split-Path $Path) | Out-Null
        [IO.File]::WriteAllText($Path, 'x')
    }
}

Describe 'Find-SimilarMedia over a prepared store' {
    BeforeEach {
        $lib = New-TestFolder
        foreach ($name in 'a00', 'a10', 'a20', 'a45', 'a60', 'a90') { New-File "$lib/photos/$name.jpg" }
        New-File "$lib/videos/clip.mp4"
        $assets = @{}
        Get-MediaAsset -Path $lib | ForEach-Object { $assets[$_.Name -replace '\..*$'] = $_ }
        $deg = [math]::PI / 180
        Add-TestVector $lib 'toy' @{
            $assets.a00.Id               = Get-Vec 0
            $assets.a10.Id               = Get-Vec (10 * $deg)
            $assets.a20.Id               = Get-Vec (20 * $deg)
            $assets.a45.Id               = Get-Vec (45 * $deg)
            $assets.a60.Id               = Get-Vec (60 * $deg)
            $assets.a90.Id               = Get-Vec (90 * $deg)
            $assets.clip.Id              = Get-Vec -Axis 3
            "$($assets.clip.Id)#2"       = Get-Vec (5 * $deg)
            "$($assets.clip.Id)#3"       = Get-Vec -Axis 4
        }
    }
    AfterEach { Remove-TestFolder $lib }

    It 'matches stored anchors as they are, with a warning, when the model that makes their views is not installed' {
        $m = Find-SimilarMedia -Library $lib -Anchor $assets.a00.Id -MinScore -1 -WarningVariable warned -WarningAction SilentlyContinue
        $m | Should -HaveCount 7
        $m.BestAnchorView | Select-Object -Unique | Should -Be 'Original'
        "$warned" | Should -Match "no mirrored or turned views.*'toy' is not installed"
        Find-SimilarMedia -Library $lib -Anchor $assets.a00.Id -MinScore -1 -AnchorViews None -WarningVariable quiet | Out-Null
        $quiet | Should -BeNullOrEmpty
    }

    It 'ranks by cosine similarity, best first, with a video scoring as its best frame' {
        $m = Find-SimilarMedia -Library $lib -Anchor $assets.a00.Id -MinScore -1
        $m | Should -HaveCount 7
        $m[0].GetType().FullName | Should -Be 'MediaTagger.Core.Search.MediaMatch'
        ($m | ForEach-Object { $_.Name }) | Should -Be @('a00.jpg', 'clip.mp4', 'a10.jpg', 'a20.jpg', 'a45.jpg', 'a60.jpg', 'a90.jpg')
        ($m | ForEach-Object Rank) | Should -Be (1..7)   # not $m.Rank: that is the array's own Rank (1)
        $m[0].Score | Should -BeGreaterThan 0.9999
        $m[1].BestFrame | Should -Be 2
        $m[1].Score | Should -BeGreaterThan ([math]::Cos(5 * $deg) - 1e-5)
        $m[2].BestFrame | Should -BeNullOrEmpty
        $m[0].BestAnchor | Should -Be $assets.a00.Id
        $m[0].Model | Should -Be 'toy'
        # Every MediaAsset property comes along, so results pipe like assets.
        $m[2].RelativePath | Should -Be 'photos/a10.jpg'
        $m[2].Path | Should -Be $assets.a10.Path
        $m[2].LibraryRoot | Should -Be $lib
        $m[2].FullName | Should -Be $assets.a10.Path
    }

    It 'takes the maximum over several anchors, not the mean, and names the anchor that won' {
        $m = Find-SimilarMedia -Library $lib -Anchor $assets.a00, $assets.a90.Path -MinScore -1 -K 4
        ($m[0..1].Name | Sort-Object) | Should -Be @('a00.jpg', 'a90.jpg')
        $m[2..3].Name | Should -Be @('clip.mp4', 'a10.jpg')
        ($m | Where-Object Name -EQ 'a00.jpg').BestAnchor | Should -Be $assets.a00.Path
        ($m | Where-Object Name -EQ 'a90.jpg').BestAnchor | Should -Be $assets.a90.Path
        ($m | Where-Object Name -EQ 'a10.jpg').BestAnchor | Should -Be $assets.a00.Path
        # a45 sits between the anchors: a mean would give it 0.707 and rank it above a10 (mean 0.57); max keeps it below.
        $all = Find-SimilarMedia -Library $lib -Anchor $assets.a00, $assets.a90 -MinScore -1
        [array]::IndexOf(@($all.Name), 'a45.jpg') | Should -BeGreaterThan ([array]::IndexOf(@($all.Name), 'a10.jpg'))
    }

    It 'drops items closer to their best negative than to their best anchor and shows the margin' {
        $m = Find-SimilarMedia -Library $lib -Anchor $assets.a00 -NegativeAnchor $assets.a90 -MinScore -1
        $m.Name | Should -Not -Contain 'a60.jpg'
        $m.Name | Should -Not -Contain 'a90.jpg'
        $m.Name | Should -Contain 'a45.jpg'   # a tie keeps the item
        $a20 = $m | Where-Object Name -EQ 'a20.jpg'
        $a20.NegativeScore | Should -BeLessThan ($a20.Score)
        $a20.Margin | Should -BeGreaterThan 0
        [math]::Abs($a20.Margin - ($a20.Score - $a20.NegativeScore)) | Should -BeLessThan 1e-9
        ($m | Where-Object Margin -LT 0) | Should -BeNullOrEmpty
    }

    It 'bounds the result with -K and -MinScore, with defaults from the profile' {
        (Find-SimilarMedia -Library $lib -Anchor $assets.a00 -K 3).Name | Should -Be @('a00.jpg', 'clip.mp4', 'a10.jpg')
        $m = Find-SimilarMedia -Library $lib -Anchor $assets.a00 -MinScore 0.9
        $m.Name | Should -Be @('a00.jpg', 'clip.mp4', 'a10.jpg', 'a20.jpg')
        ($m | Where-Object Score -LT 0.9) | Should -BeNullOrEmpty
        # No -MinScore: the profile's (objects: image k 700, minScore 0.3; cos 90° = 0 and the video's best frame 0.996).
        $objects = Find-SimilarMedia -Library $lib -Anchor $assets.a00 -Profile objects
        $objects.Name | Should -Not -Contain 'a90.jpg'
        $q = Get-Content "$lib/.mediatagger/data/last_query.json" -Raw | ConvertFrom-Json
        $q.k | Should -Be 700
        $q.minScore | Should -Be 0.3
        $q.profile | Should -Be 'objects'
        # A user profile file overrides the defaults.
        $p = Join-Path $lib 'tight.json'
        '{ "queryDefaults": { "image": { "k": 2, "minScore": 0.0 }, "text": { "k": 9, "minScore": 0.1 } } }' | Set-Content $p
        (Find-SimilarMedia -Library $lib -Anchor $assets.a00 -Profile $p).Count | Should -Be 2
    }

    It 'writes last_query.json and the -OutFile file with the query and its ranked results' {
        $m = Find-SimilarMedia -Library $lib -Anchor $assets.a00, $assets.a10.Id -NegativeAnchor $assets.a90 -K 3 -MinScore 0.1 -OutFile teddy_candidates.json
        foreach ($file in 'last_query.json', 'teddy_candidates.json') {
            $q = Get-Content "$lib/.mediatagger/data/$file" -Raw | ConvertFrom-Json
            $q.kind | Should -Be 'similar'
            $q.library | Should -Be $lib
            $q.model | Should -Be 'toy'
            $q.anchors | Should -Be @($assets.a00.Path, $assets.a10.Id)
            $q.negativeAnchors | Should -Be @($assets.a90.Path)
            $q.k | Should -Be 3
            $q.minScore | Should -Be 0.1
            $q.results | Should -HaveCount 3
            $q.results.id | Should -Be $m.Id
            $q.results.path | Should -Be $m.Path
            ($q.results | ForEach-Object rank) | Should -Be @(1, 2, 3)
            # a00 and a10 are anchors themselves (score 1); the video's best frame follows.
            ($q.results[0..1].id | Sort-Object) | Should -Be (@($assets.a00.Id, $assets.a10.Id) | Sort-Object)
            $q.results[0].score | Should -BeGreaterThan 0.9999
            $q.results[2].bestFrame | Should -Be 2
            $q.results[2].type | Should -Be 'video'
            $q.results[2].margin | Should -BeGreaterThan 0.9
        }
        Get-ChildItem "$lib/.mediatagger/data" -Filter '*.tmp' -Force | Should -BeNullOrEmpty
    }

    It 'refuses an -OutFile that would overwrite the catalog, and writes nothing with -WhatIf' {
        $before = Get-FileHash "$lib/.mediatagger/data/assets.json"
        { Find-SimilarMedia -Library $lib -Anchor $assets.a00 -OutFile assets.json -ErrorAction Stop } | Should -Throw -ErrorId 'MediaSearchOutFileInvalid*'
        (Get-FileHash "$lib/.mediatagger/data/assets.json").Hash | Should -Be $before.Hash
        $m = Find-SimilarMedia -Library $lib -Anchor $assets.a00 -WhatIf -OutFile x.json
        $m | Should -Not -BeNullOrEmpty
        Test-Path "$lib/.mediatagger/data/last_query.json" | Should -BeFalse
        Test-Path "$lib/.mediatagger/data/x.json" | Should -BeFalse
    }

    It 'saves through a file made beside the search, and leaves none behind when the query fails or saves nothing' {
        $data = "$lib/.mediatagger/data"
        $null = Find-SimilarMedia -Library $lib -Model toy -Anchor $assets.a00 -K 3
        $before = (Get-FileHash "$data/last_query.json").Hash
        Get-ChildItem $data -Filter '*.tmp' -Force | Should -BeNullOrEmpty

        $null = Find-SimilarMedia -Library $lib -Model toy -Anchor $assets.a90 -WhatIf
        { Find-SimilarMedia -Library $lib -Model toy -Anchor "$lib/photos/none.jpg" -ErrorAction SilentlyContinue } | Should -Throw -ErrorId 'MediaSearchNoQuery*'
        { Find-SimilarMedia -Library $lib -Model nosuchstore -Anchor $assets.a00 -ErrorAction Stop } | Should -Throw
        (Get-FileHash "$data/last_query.json").Hash | Should -Be $before
        Get-ChildItem $data -Filter '*.tmp' -Force | Should -BeNullOrEmpty
    }

    It 'takes piped matches as anchors and pipes into Where-Object, Sort-Object and Export-Csv' {
        $top = Find-SimilarMedia -Library $lib -Anchor $assets.a90 -K 2
        $again = $top | Find-SimilarMedia -MinScore -1
        $again[0].Name | Should -BeIn @('a90.jpg', 'a60.jpg')
        ($again | Where-Object Score -GT 0.8 | Sort-Object RelativePath).Name | Should -Be @('a45.jpg', 'a60.jpg', 'a90.jpg')
        $csv = Join-Path $lib 'out.csv'
        $again | Export-Csv $csv
        (Import-Csv $csv)[0].Score | Should -Not -BeNullOrEmpty
        $table = $again | Format-Table | Out-String
        $table | Should -Match 'Rank\s+Score\s+Type\s+RelativePath'
    }

    It 'sees vectors added after the previous query (the resident copy reloads when the store changes; the checks read ahead see it)' {
        $first = Find-SimilarMedia -Library $lib -Anchor $assets.a00 -MinScore -1
        New-File "$lib/photos/new.jpg"
        $new = Get-MediaAsset -Path "$lib/photos/new.jpg" -Library $lib
        Add-TestVector $lib 'toy' @{ $new.Id = Get-Vec (1 * $deg) }
        $second = Find-SimilarMedia -Library $lib -Anchor $assets.a00 -MinScore -1
        $second.Count | Should -Be ($first.Count + 1)
        $second[1].Name | Should -Be 'new.jpg'
        # A command before the search in the same pipeline runs after PowerShell created the search command (when its
        # checks are read ahead): what that command adds to the store is still seen.
        New-File "$lib/photos/newer.jpg"
        $newer = Get-MediaAsset -Path "$lib/photos/newer.jpg" -Library $lib
        $third = & { Add-TestVector $lib 'toy' @{ $newer.Id = Get-Vec (0.5 * $deg) }; $assets.a00 } | Find-SimilarMedia -Library $lib -MinScore -1
        $third[1].Name | Should -Be 'newer.jpg'
        # The next query reads ahead the checks of the store it expects (toy's); asked for another store, it checks that one.
        Add-TestVector $lib 'other' @{ $assets.a90.Id = Get-Vec 0; $assets.a10.Id = Get-Vec (90 * $deg) }
        (Find-SimilarMedia -Library $lib -Model other -Anchor $assets.a10 -MinScore -1).Name | Should -Be @('a10.jpg', 'a90.jpg')
    }

    It 'sees the catalog change while the store stays resident (a file gone from the library drops out of the next query)' {
        $first = Find-SimilarMedia -Library $lib -Anchor $assets.a00 -MinScore -1
        $first.Name | Should -Contain 'a90.jpg'
        Remove-Item "$lib/photos/a90.jpg"
        $null = Get-MediaAsset -Path $lib
        # Same store files: the vectors stay resident and only the catalog is read again.
        $second = Find-SimilarMedia -Library $lib -Anchor $assets.a00 -MinScore -1
        $second.Name | Should -Not -Contain 'a90.jpg'
        $second.Count | Should -Be ($first.Count - 1)
    }

    It 'reports a missing anchor and searches with the others; stops when none is left' {
        $m = Find-SimilarMedia -Library $lib -Anchor "$lib/missing.jpg", $assets.a00 -ErrorVariable errs -ErrorAction SilentlyContinue
        Get-ErrorIds $errs | Should -Be 'MediaSearchAnchorNotFound'
        $errs[0].TargetObject | Should -Be "$lib/missing.jpg"
        $m[0].Name | Should -Be 'a00.jpg'
        { Find-SimilarMedia -Library $lib -Anchor "$lib/missing.jpg" -ErrorAction Stop } | Should -Throw
        $e = $null
        try { Find-SimilarMedia -Library $lib -Anchor 'ffffffffffffffffffffffffffffffffffffffff' -ErrorAction SilentlyContinue -ErrorVariable e2 } catch { $e = $_ }
        Get-ErrorIds ($e2 | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] }) | Should -Contain 'MediaSearchAnchorNotFound'
        $e.FullyQualifiedErrorId | Should -BeLike 'MediaSearchNoQuery*'
    }

    It 'resolves -Library and anchor paths as PowerShell does: relative, with . and .., // and on another PowerShell drive' {
        Push-Location "$lib/photos"
        try {
            (Find-SimilarMedia -Library '..' -Anchor './a00.jpg' -K 1).Name | Should -Be 'a00.jpg'
            (Find-SimilarMedia -Library "$lib/photos/../videos/..//" -Anchor 'sub/../a90.jpg' -K 1).Name | Should -Be 'a90.jpg'
            (Find-SimilarMedia -Library "$lib/photos//.." -Anchor "$lib//photos/./a45.jpg" -K 1).Name | Should -Be 'a45.jpg'
            $null = New-PSDrive -Name MtSearchLib -PSProvider FileSystem -Root $lib
            Set-Location MtSearchLib:/photos
            (Find-SimilarMedia -Library 'MtSearchLib:/' -Anchor 'a60.jpg' -K 1).Name | Should -Be 'a60.jpg'
            (Find-SimilarMedia -Anchor '../photos/a20.jpg' -K 1).Name | Should -Be 'a20.jpg'   # the library of the current folder
            $query = Get-Content "$lib/.mediatagger/data/last_query.json" | ConvertFrom-Json
            $query.library | Should -Be ([IO.Path]::TrimEndingDirectorySeparator($lib))
            $query.anchors | Should -Be "$lib/photos/a20.jpg"
        }
        finally {
            Pop-Location
            Remove-PSDrive MtSearchLib -ErrorAction Ignore
        }
    }

    It 'gives one clear error for a missing library, a model without a store and an empty store' {
        { Find-SimilarMedia -Library "$lib/nope" -Anchor $assets.a00 } | Should -Throw -ErrorId 'MediaLibraryNotFound*'
        { Find-SimilarMedia -Library $lib -Model other -Anchor $assets.a00 } | Should -Throw -ErrorId 'MediaSearchStoreMissing*'
        $lib2 = New-TestFolder
        try {
            New-File "$lib2/x.jpg"
            $x = Get-MediaAsset -Path $lib2
            $library = [MediaTagger.Core.Library.MediaLibrary]::Open($lib2)
            # An empty store: it had one row, which compaction dropped (its asset left the catalog).
            Add-TestVector $lib2 'toy' @{ ('f' * 40) = Get-Vec 0 }
            [MediaTagger.Core.Store.EmbeddingStore]::Optimize([MediaTagger.Core.Store.StoreLocation]::new($library, 'toy'), [Func[string, bool]] { $false }, [Threading.CancellationToken]::None) | Out-Null
            $err = $null
            try { Find-SimilarMedia -Library $lib2 -Anchor $x } catch { $err = $_ }
            $err.FullyQualifiedErrorId | Should -BeLike 'MediaSearchStoreEmpty*'
            $err.Exception.Message | Should -Match 'Add-MediaEmbedding'
        }
        finally { Remove-TestFolder $lib2 }
    }
}
