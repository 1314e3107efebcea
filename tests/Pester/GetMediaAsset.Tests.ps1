BeforeAll {
    Import-Module $env:MEDIATAGGER_MODULE -Force
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force

    function New-File([string] $Path, [string] $Content = 'x') {
        New-Item -ItemType Directory -Force (Split-Path $Path) | Out-Null
        [IO.File]::WriteAllText($Path, $Content)
    }

    function Get-Sha1([string] $Text) {
        [Convert]::ToHexString([Security.Cryptography.SHA1]::HashData([Text.Encoding]::UTF8.GetBytes($Text))).ToLowerInvariant()
    }
}

Describe 'Get-MediaAsset' {
    BeforeEach {
        $lib = New-TestFolder
        New-File "$lib/2021/IMG_0001.JPG"
        New-File "$lib/2021/Summer/beach.heic"
        New-File "$lib/2021/Summer/clip.MOV"
        New-File "$lib/raw/DSC_1.NEF"
        New-File "$lib/docs/readme.txt"
        New-File "$lib/.hidden/secret.jpg"
        New-File "$lib/2021/._IMG_0001.JPG"
        New-File "$lib/@eaDir/thumb.jpg"
        New-File "$lib/Thumbs.db"
    }
    AfterEach { Remove-TestFolder $lib }

    It 'emits one asset per image or video with the documented properties' {
        $assets = Get-MediaAsset -Path $lib
        $assets.RelativePath | Sort-Object | Should -Be @('2021/IMG_0001.JPG', '2021/Summer/beach.heic', '2021/Summer/clip.MOV', 'raw/DSC_1.NEF')
        $mov = $assets | Where-Object RelativePath -EQ '2021/Summer/clip.MOV'
        $mov.Type | Should -Be 'Video'
        $mov.Extension | Should -Be 'mov'
        $mov.Id | Should -Be (Get-Sha1 '2021/Summer/clip.MOV')
        $mov.Path | Should -Be (Join-Path $lib '2021/Summer/clip.MOV')
        $mov.Length | Should -Be 1
        $mov.LastWriteTimeUtc | Should -Be (Get-Item "$lib/2021/Summer/clip.MOV").LastWriteTimeUtc
        $mov.LibraryRoot | Should -Be $lib
        $mov.StorePath | Should -Be (Join-Path $lib '.mediatagger')
        ($assets | Where-Object Extension -EQ 'nef').Type | Should -Be 'Image'
    }

    It 'writes data/assets.json in the concept document format' {
        Get-MediaAsset -Path $lib | Out-Null
        $json = Get-Content "$lib/.mediatagger/data/assets.json" -Raw | ConvertFrom-Json
        $json.Count | Should -Be 4
        $entry = $json | Where-Object relativePath -EQ '2021/IMG_0001.JPG'
        $entry.id | Should -Be (Get-Sha1 '2021/IMG_0001.JPG')
        $entry.absolutePath | Should -Be (Join-Path $lib '2021/IMG_0001.JPG')
        $entry.type | Should -Be 'image'
        $entry.ext | Should -Be 'jpg'
        $entry.size | Should -Be 1
        $entry.modified | Should -Not -BeNullOrEmpty
        Get-ChildItem "$lib/.mediatagger/data" -Filter '*.tmp' -Force | Should -BeNullOrEmpty
    }

    It 'has the catalog written when it returns, also when it writes it beside its output (last in its pipeline)' {
        $assets = Get-MediaAsset -Path $lib
        (Get-Content "$lib/.mediatagger/data/assets.json" -Raw | ConvertFrom-Json).relativePath | Sort-Object | Should -Be ($assets.RelativePath | Sort-Object)
        New-File "$lib/2022/new.jpg"
        $null = Get-MediaAsset -Path $lib
        (Get-Content "$lib/.mediatagger/data/assets.json" -Raw | ConvertFrom-Json).relativePath | Should -Contain '2022/new.jpg'
        (Get-MediaAsset -Cached -Library $lib).RelativePath | Should -Contain '2022/new.jpg'
        Get-ChildItem "$lib/.mediatagger/data" -Filter '*.tmp' -Force | Should -BeNullOrEmpty
    }

    It 'includes hidden files and NAS junk folders only with -Force' {
        $all = Get-MediaAsset -Path $lib -Force
        $all.RelativePath | Should -Contain '.hidden/secret.jpg'
        $all.RelativePath | Should -Contain '@eaDir/thumb.jpg'
        $all.RelativePath | Should -Not -Match '^\.mediatagger'
    }

    It 'filters with -Exclude globs and -Type' {
        (Get-MediaAsset -Path $lib -Exclude 'Summer').RelativePath | Sort-Object | Should -Be @('2021/IMG_0001.JPG', 'raw/DSC_1.NEF')
        (Get-MediaAsset -Path $lib -Exclude '*.nef', '2021/*.JPG').RelativePath | Sort-Object | Should -Be @('2021/Summer/beach.heic', '2021/Summer/clip.MOV')
        (Get-MediaAsset -Path $lib -Type Video).RelativePath | Should -Be '2021/Summer/clip.MOV'
    }

    It 'tells new, changed and gone assets apart on a re-scan, and leaves an unchanged catalog alone' {
        Get-MediaAsset -Path $lib | Out-Null
        $catalog = Get-Item "$lib/.mediatagger/data/assets.json"
        $stamp = $catalog.LastWriteTimeUtc
        Start-Sleep -Milliseconds 50

        $again = Get-MediaAsset -Path $lib -InformationVariable info
        $again.ScanState | Select-Object -Unique | Should -Be 'Unchanged'
        (Get-Item $catalog.FullName).LastWriteTimeUtc | Should -Be $stamp
        "$info" | Should -Match '0 new, 0 changed, 0 gone'

        New-File "$lib/2021/IMG_0001.JPG" 'edited in an editor'
        Remove-Item "$lib/raw/DSC_1.NEF"
        New-File "$lib/2022/new.png"
        $third = Get-MediaAsset -Path $lib -IncludeRemoved
        ($third | Where-Object RelativePath -EQ '2021/IMG_0001.JPG').ScanState | Should -Be 'Changed'
        ($third | Where-Object RelativePath -EQ '2022/new.png').ScanState | Should -Be 'New'
        ($third | Where-Object RelativePath -EQ 'raw/DSC_1.NEF').ScanState | Should -Be 'Removed'
        (Get-Content $catalog.FullName -Raw | ConvertFrom-Json).relativePath | Should -Not -Contain 'raw/DSC_1.NEF'
    }

    It 'returns the catalog without walking the disk with -Cached' {
        Get-MediaAsset -Path $lib | Out-Null
        Remove-Item "$lib/2021" -Recurse -Force
        $cached = Get-MediaAsset -Library $lib -Cached
        $cached.RelativePath | Should -Contain '2021/IMG_0001.JPG'
        (Get-MediaAsset -Library $lib -Cached -Type Video).RelativePath | Should -Be '2021/Summer/clip.MOV'
    }

    It 'catalogs piped Get-ChildItem files within the -Library root' {
        $piped = Get-ChildItem "$lib/2021/Summer" -File | Get-MediaAsset -Library $lib
        $piped.RelativePath | Sort-Object | Should -Be @('2021/Summer/beach.heic', '2021/Summer/clip.MOV')
        $piped[0].LibraryRoot | Should -Be $lib
        (Get-Content "$lib/.mediatagger/data/assets.json" -Raw | ConvertFrom-Json).Count | Should -Be 2
    }

    It 'finds the library root from the nearest folder holding a store when -Library is omitted' {
        Get-MediaAsset -Path $lib | Out-Null
        $asset = "$lib/2021/Summer/beach.heic" | Get-MediaAsset
        $asset.RelativePath | Should -Be '2021/Summer/beach.heic'
        $asset.LibraryRoot | Should -Be $lib
        # Get-ChildItem -Recurse pipes folders and files; each asset comes out once.
        (Get-ChildItem $lib -Recurse | Get-MediaAsset).Count | Should -Be 4
    }

    It 'binds a MediaAsset by its Path' {
        $first = Get-MediaAsset -Path $lib | Select-Object -First 1
        ($first | Get-MediaAsset).Id | Should -Be $first.Id
    }

    It 'keeps the store elsewhere with -StorePath, for read-only libraries' {
        $store = New-TestFolder 'store'
        try {
            Get-MediaAsset -Path $lib -StorePath $store | Out-Null
            Test-Path "$store/data/assets.json" | Should -BeTrue
            Test-Path "$lib/.mediatagger" | Should -BeFalse
            # The session remembers where this library's store is.
            (Get-MediaAsset -Library $lib -Cached).Count | Should -Be 4
        }
        finally { Remove-TestFolder $store }
    }

    It 'shows Type, RelativePath, Length and LastWriteTime by default' {
        $table = Get-MediaAsset -Path $lib | Format-Table | Out-String
        $table | Should -Match 'Type\s+RelativePath\s+Length\s+LastWriteTime'
    }

    It 'fails clearly for a library folder that does not exist' {
        { Get-MediaAsset -Library (Join-Path $lib 'nope') -ErrorAction Stop } | Should -Throw -ErrorId 'MediaLibraryNotFound,*'
    }
}

Describe 'Get-MediaAsset on hostile trees' {
    BeforeEach { $lib = New-TestFolder 'hostile' }
    AfterEach { Remove-TestFolder $lib }

    It 'reports a broken symlink, a symlink loop and a non-UTF-8 name as one error each, and goes on' -Skip:(-not ($IsLinux -or $IsMacOS)) {
        New-File "$lib/good/a.jpg"
        New-Item -ItemType SymbolicLink -Path "$lib/good/broken.jpg" -Target "$lib/missing.jpg" | Out-Null
        New-Item -ItemType SymbolicLink -Path "$lib/good/loop" -Target "$lib/good" | Out-Null
        & bash -c "printf x > '$lib/good/bad-'$'\xff\xfe''.jpg'"

        $assets = Get-MediaAsset -Path $lib -ErrorVariable errs -ErrorAction SilentlyContinue

        $assets.RelativePath | Should -Be 'good/a.jpg'
        $ids = Get-ErrorIds $errs
        $ids | Should -Contain 'MediaAssetScanBrokenLink'
        $ids | Should -Contain 'MediaAssetScanSymlinkLoop'
        $ids | Should -Contain 'MediaAssetScanInvalidName'
        $ids.Count | Should -Be 3
        ($errs | Where-Object { $_.FullyQualifiedErrorId -like 'MediaAssetScanBrokenLink*' }).TargetObject | Should -Be "$lib/good/broken.jpg"
    }

    It 'follows a symlinked folder that is not a loop' -Skip:(-not ($IsLinux -or $IsMacOS)) {
        $outside = New-TestFolder 'outside'
        try {
            New-File "$outside/linked.png"
            New-Item -ItemType SymbolicLink -Path "$lib/album" -Target $outside | Out-Null
            (Get-MediaAsset -Path $lib).RelativePath | Should -Be 'album/linked.png'
        }
        finally { Remove-TestFolder $outside }
    }

    It 'catalogs a path longer than 260 characters' {
        $deep = $lib
        while ($deep.Length -lt 300) { $deep = Join-Path $deep ('folder-with-a-long-name-' + $deep.Length) }
        New-File "$deep/photo.jpg"
        $assets = Get-MediaAsset -Path $lib -ErrorVariable errs
        $errs | Should -BeNullOrEmpty
        $assets.Path | Should -Be (Join-Path $deep 'photo.jpg')
        $assets.Path.Length | Should -BeGreaterThan 260
    }

    It 'reports an unreadable folder once, keeps its catalog entries and scans the rest' -Skip:(-not $IsLinux) {
        New-File "$lib/open/a.jpg"
        New-File "$lib/locked/b.jpg"
        Get-MediaAsset -Path $lib | Out-Null
        & chmod 000 "$lib/locked"
        # Root reads any folder; drop the capabilities that let it, so the permission bits apply as for a user.
        $script = "Get-MediaAsset -Path '$lib' -ErrorVariable e -ErrorAction SilentlyContinue | ForEach-Object { 'ASSET ' + `$_.RelativePath }; `$e | ForEach-Object { 'ERROR ' + `$_.FullyQualifiedErrorId + ' ' + `$_.TargetObject }"
        $pwsh = Get-PwshCommand
        $encoded = [Convert]::ToBase64String([Text.Encoding]::Unicode.GetBytes("Import-Module '$env:MEDIATAGGER_MODULE'; $script"))
        $lines = if ((& id -u) -eq '0') {
            & setpriv --inh-caps=-dac_override,-dac_read_search --bounding-set=-dac_override,-dac_read_search -- @pwsh -NoProfile -NonInteractive -EncodedCommand $encoded
        }
        else { & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -EncodedCommand $encoded }

        $lines | Should -Contain 'ASSET open/a.jpg'
        @($lines | Where-Object { $_ -like 'ERROR *' }) | Should -Be @("ERROR MediaAssetScanAccessDenied,MediaTagger.PowerShell.Cmdlets.GetMediaAssetCommand $lib/locked")
        (Get-Content "$lib/.mediatagger/data/assets.json" -Raw | ConvertFrom-Json).relativePath | Should -Contain 'locked/b.jpg'
    }

    It 'stops promptly on Ctrl+C and leaves the previous catalog intact' {
        New-File "$lib/seed.jpg"
        Get-MediaAsset -Path $lib | Out-Null
        $before = Get-FileHash "$lib/.mediatagger/data/assets.json"
        foreach ($d in 1..400) {
            $dir = New-Item -ItemType Directory "$lib/d$d"
            foreach ($f in 1..50) { [IO.File]::WriteAllText("$dir/p$f.jpg", 'x') }
        }

        # PowerShell.Stop() is exactly what Ctrl+C does to a running pipeline.
        $ps = [powershell]::Create()
        $null = $ps.AddCommand('Import-Module').AddArgument($env:MEDIATAGGER_MODULE).Invoke()
        $ps.Commands.Clear()
        $null = $ps.AddCommand('Get-MediaAsset').AddParameter('Path', $lib)
        $handle = $ps.BeginInvoke()
        # Wait until the walk is under way (its first progress record), then press "Ctrl+C".
        $deadline = [DateTime]::UtcNow.AddSeconds(10)
        while ($ps.Streams.Progress.Count -eq 0 -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 2 }
        $sw = [Diagnostics.Stopwatch]::StartNew()
        $ps.Stop()
        $sw.Stop()
        try { $ps.EndInvoke($handle) } catch { }

        # A hang guard, not a speed figure (the suite runs on loaded machines): the time is printed, not asserted.
        Write-Host "    Get-MediaAsset stopped $([int]$sw.Elapsed.TotalMilliseconds) ms after Ctrl+C"
        $sw.Elapsed.TotalSeconds | Should -BeLessThan 10
        $ps.InvocationStateInfo.State | Should -Be 'Stopped'
        (Get-FileHash "$lib/.mediatagger/data/assets.json").Hash | Should -Be $before.Hash
        Get-ChildItem "$lib/.mediatagger/data" -Force | Where-Object Name -Like '*.tmp' | Should -BeNullOrEmpty
        $ps.Dispose()
    }
}

Describe 'Get-MediaAsset on real photographs' {
    It 'catalogs the Debian wallpaper photos with their real sizes' {
        $lib = New-TestFolder 'real'
        try {
            $photos = Get-TestPhoto -Count 12
            foreach ($p in $photos) { Copy-Item $p (Join-Path $lib ((Split-Path (Split-Path (Split-Path (Split-Path $p))) -Leaf) + '-' + (Split-Path $p -Leaf))) }
            $assets = Get-MediaAsset -Path $lib
            $assets.Count | Should -Be $photos.Count
            foreach ($a in $assets) {
                $a.Type | Should -Be 'Image'
                $a.Length | Should -Be (Get-Item $a.Path).Length
            }
        }
        finally { Remove-TestFolder $lib }
    }
}
