BeforeAll {
    Import-Module $env:MEDIATAGGER_MODULE -Force
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    # The module loads Magick.NET on first use; the fixtures need its types before that.
    Add-Type -Path (Join-Path $env:MEDIATAGGER_MODULE 'Magick.NET.Core.dll'), (Join-Path $env:MEDIATAGGER_MODULE 'Magick.NET-Q8-AnyCPU.dll')

    # Fixtures are made from real photographs with the Magick.NET the module loaded, and with ffmpeg.
    $script:Photos = @(Get-TestPhoto -Format Jpeg -Count 4)

    function New-Picture {
        param([string] $Source, [string] $Path, [int] $Width, [int] $Height, [string] $Format)
        $img = [ImageMagick.MagickImage]::new($Source)
        $g = [ImageMagick.MagickGeometry]::new($Width, $Height)
        $g.IgnoreAspectRatio = $true
        $img.Resize($g)
        New-Item -ItemType Directory -Force (Split-Path $Path) | Out-Null
        if ($Format) { $img.Write($Path, [ImageMagick.MagickFormat]::$Format) } else { $img.Write($Path) }
        $img.Dispose()
    }

    function New-MultiFrame {
        # Frame 1 is a landscape photo, frame 2 a portrait one: the rep's shape tells which frame was used.
        param([string] $Path, [string] $Format)
        $frames = [ImageMagick.MagickImageCollection]::new()
        foreach ($spec in @(@($script:Photos[0], 600, 400), @($script:Photos[1], 200, 400))) {
            $img = [ImageMagick.MagickImage]::new($spec[0])
            $g = [ImageMagick.MagickGeometry]::new($spec[1], $spec[2]); $g.IgnoreAspectRatio = $true
            $img.Resize($g)
            $img.AnimationDelay = 50
            $frames.Add($img)
        }
        $frames.Write($Path, [ImageMagick.MagickFormat]::$Format)
        $frames.Dispose()
    }

    function New-Video {
        param([string] $Path, [string] $Photo, [string] $Size = '320x200', [double] $Seconds = 4, [int] $Rotate = 0)
        # Black for the first 0.2 s, like many phone clips: a frame from the very start would be black.
        $encoded = if ($Rotate) { "$Path.tmp.mp4" } else { $Path }
        & ffmpeg -v error -y -loop 1 -i $Photo -t $Seconds -r 10 -pix_fmt yuv420p -c:v libx264 `
            -vf "scale=$($Size -replace 'x', ':'),drawbox=x=0:y=0:w=iw:h=ih:color=black:t=fill:enable='lt(t,0.15)'" $encoded
        if ($LASTEXITCODE) { throw "ffmpeg failed for $Path" }
        if ($Rotate) {
            # What a phone records when held upright: the stream stays landscape, a display matrix says "rotate".
            & ffmpeg -v error -y -i $encoded -c copy -metadata:s:v:0 "rotate=$Rotate" $Path
            if ($LASTEXITCODE) { throw "ffmpeg failed for $Path" }
            Remove-Item $encoded
        }
    }

    function Get-ImageInfo([string] $Path) {
        $img = [ImageMagick.MagickImage]::new($Path)
        try {
            $mean = $img.Clone(); $mean.Resize(1, 1)
            $c = $mean.GetPixels().GetPixel(0, 0).ToColor()
            [pscustomobject]@{
                Format = "$($img.Format)"; Width = [int]$img.Width; Height = [int]$img.Height
                ColorSpace = "$($img.ColorSpace)"; Channels = [int]$img.ChannelCount; Exif = $null -ne $img.GetExifProfile()
                Brightness = ([int]$c.R + [int]$c.G + [int]$c.B) / 3
            }
        }
        finally { $img.Dispose() }
    }

    function Get-RowColor([string] $Path, [double] $RowFraction) {
        # Mean colour of one row, as R, G, B.
        $img = [ImageMagick.MagickImage]::new($Path)
        try {
            $y = [int](($img.Height - 1) * $RowFraction)
            $row = $img.Clone(); $row.Crop([ImageMagick.MagickGeometry]::new(0, $y, $img.Width, 1)); $row.Resize(1, 1)
            $c = $row.GetPixels().GetPixel(0, 0).ToColor()
            [int[]]@($c.R, $c.G, $c.B)
        }
        finally { $img.Dispose() }
    }

    function Invoke-Python([string] $Code) {
        & python3 -c $Code
        if ($LASTEXITCODE) { throw 'python3 failed' }
    }

    function Get-Summary($Info) { "$($Info | Where-Object { $_.Tags -contains 'Reps' })" }
    # The rep the library's rep index (data/reps.json) records for an asset.
    function Get-RecordedRep($Library, $RelativePath) {
        $asset = Get-MediaAsset -Library $Library -Cached | Where-Object RelativePath -EQ $RelativePath
        [MediaTagger.Core.Reps.RepIndex]::Load([MediaTagger.Core.Library.MediaLibrary]::Open($Library)).Get($asset.Id)
    }
}

Describe 'New-MediaRep on every format' {
    BeforeAll {
        $lib = New-TestFolder 'reps'
        Copy-Item $Photos[0] "$lib/photo.jpg"
        New-Picture $Photos[1] "$lib/formats/picture.png" 1200 800
        New-Picture $Photos[1] "$lib/formats/small.png" 300 200
        New-Picture $Photos[2] "$lib/formats/picture.tif" 900 600
        New-Picture $Photos[2] "$lib/formats/picture.webp" 900 600
        New-Picture $Photos[3] "$lib/formats/picture.heic" 900 600
        New-Picture $Photos[3] "$lib/formats/picture.avif" 900 600
        New-Picture $Photos[0] "$lib/formats/picture.bmp" 900 600
        # A camera JPEG renamed .nef still renders.
        Copy-Item $Photos[1] "$lib/formats/renamed.nef"
        New-MultiFrame "$lib/formats/animated.gif" 'Gif'
        New-MultiFrame "$lib/formats/pages.tif" 'Tiff'
        # A layered PSD: the first image written is the merged composite (600x400), the second a 100x100 layer.
        $psd = [ImageMagick.MagickImageCollection]::new()
        $composite = [ImageMagick.MagickImage]::new($Photos[1]); $g = [ImageMagick.MagickGeometry]::new(600, 400); $g.IgnoreAspectRatio = $true; $composite.Resize($g)
        $layer = [ImageMagick.MagickImage]::new([ImageMagick.MagickColors]::Blue, 100, 100)
        $psd.Add($composite); $psd.Add($layer); $psd.Write("$lib/formats/layered.psd", [ImageMagick.MagickFormat]::Psd); $psd.Dispose()
        # EXIF orientation: a red band on the left of a landscape photo ends up on top (6) or at the bottom (8).
        New-Item -ItemType Directory "$lib/orient", "$lib/video" | Out-Null
        foreach ($o in 6, 8) {
            $img = [ImageMagick.MagickImage]::new($Photos[2]); $g = [ImageMagick.MagickGeometry]::new(800, 500); $g.IgnoreAspectRatio = $true; $img.Resize($g)
            $band = [ImageMagick.MagickImage]::new([ImageMagick.MagickColors]::Red, 160, 500)
            $img.Composite($band, 0, 0, [ImageMagick.CompositeOperator]::Over)
            $img.Write("$lib/orient/o$o.jpg"); $img.Dispose()
            & exiftool -q -q -overwrite_original "-Orientation#=$o" "$lib/orient/o$o.jpg"
        }
        New-Video "$lib/video/clip.mp4" $Photos[0]
        New-Video "$lib/video/portrait.mov" $Photos[1] -Rotate 90

        $assets = Get-MediaAsset -Path $lib
        $out = $assets | New-MediaRep -ErrorVariable errs -InformationVariable info
        $byName = @{}; foreach ($a in $out) { $byName[$a.RelativePath] = $a }
    }
    AfterAll { Remove-TestFolder $lib }

    It 'emits every asset once, with a rep and no error' {
        $errs | Should -BeNullOrEmpty
        @($out).Count | Should -Be @($assets).Count
        ($out.Id | Sort-Object -Unique).Count | Should -Be @($assets).Count
        foreach ($a in $out) {
            $a.RepPath | Should -Be (Join-Path $lib ".mediatagger/derivatives/reps/$($a.Id).jpg")
            Test-Path $a.RepPath | Should -BeTrue -Because $a.RelativePath
        }
        Get-Summary $info | Should -Match "$(@($assets).Count) assets: $(@($assets).Count) rendered, 0 up to date, 0 failed"
    }

    It 'writes <Name> as an sRGB 8-bit JPEG without metadata, fitted to 512 px' -ForEach @(
        @{ Name = 'photo.jpg' }, @{ Name = 'formats/picture.png' }, @{ Name = 'formats/picture.tif' }, @{ Name = 'formats/picture.webp' },
        @{ Name = 'formats/picture.heic' }, @{ Name = 'formats/picture.avif' }, @{ Name = 'formats/picture.bmp' },
        @{ Name = 'formats/renamed.nef' }
    ) {
        $a = $byName[$Name]
        $i = Get-ImageInfo $a.RepPath
        $i.Format | Should -Be 'Jpeg'
        [Math]::Max($i.Width, $i.Height) | Should -Be 512
        $i.ColorSpace | Should -Be 'sRGB'
        $i.Channels | Should -Be 3
        $i.Exif | Should -BeFalse
        $a.RepWidth | Should -Be $i.Width
        $a.RepHeight | Should -Be $i.Height
        $a.GetRep().SourceLength | Should -Be (Get-Item $a.Path).Length
    }

    It 'never upscales a small picture' {
        $i = Get-ImageInfo $byName['formats/small.png'].RepPath
        "$($i.Width)x$($i.Height)" | Should -Be '300x200'
    }

    It 'uses the first frame of <Name>' -ForEach @(@{ Name = 'formats/animated.gif' }, @{ Name = 'formats/pages.tif' }, @{ Name = 'formats/layered.psd' }) {
        $i = Get-ImageInfo $byName[$Name].RepPath
        "$($i.Width)x$($i.Height)" | Should -Be '512x341'
    }

    It 'turns a photo with EXIF orientation <O> upright' -ForEach @(@{ O = 6; RedRow = 0.02 }, @{ O = 8; RedRow = 0.98 }) {
        $rep = $byName["orient/o$O.jpg"].RepPath
        $i = Get-ImageInfo $rep
        "$($i.Width)x$($i.Height)" | Should -Be '320x512'
        $red = Get-RowColor $rep $RedRow
        $red[0] | Should -BeGreaterThan 200
        $red[1] | Should -BeLessThan 60
        $other = Get-RowColor $rep (1 - $RedRow)
        ($other[0] -gt 200 -and $other[1] -lt 60) | Should -BeFalse -Because 'the red band must be on one side only'
    }

    It 'takes a video frame at 10% of the duration, not the black first frame' {
        $i = Get-ImageInfo $byName['video/clip.mp4'].RepPath
        "$($i.Width)x$($i.Height)" | Should -Be '320x200'
        $i.Brightness | Should -BeGreaterThan 20
        # The clip really starts black, so taking its first frame would have failed this test.
        & ffmpeg -v error -y -i $byName['video/clip.mp4'].Path -frames:v 1 "$lib/first.png"
        (Get-ImageInfo "$lib/first.png").Brightness | Should -BeLessThan 5
        $byName['video/clip.mp4'].RepFrames | Should -Be 1
    }

    It 'respects the rotation a phone recorded in a video' {
        $i = Get-ImageInfo $byName['video/portrait.mov'].RepPath
        "$($i.Width)x$($i.Height)" | Should -Be '200x320'
    }

    It 'takes N evenly spaced frames with -FramesPerVideo, and drops extra frames when N shrinks' {
        $clip = $assets | Where-Object RelativePath -EQ 'video/clip.mp4'
        $three = $clip | New-MediaRep -FramesPerVideo 3
        $three.RepFrames | Should -Be 3
        $three.GetRepFramePaths() | ForEach-Object { Split-Path $_ -Leaf } | Should -Be @("$($clip.Id).jpg", "$($clip.Id)_f2.jpg", "$($clip.Id)_f3.jpg")
        foreach ($f in $three.GetRepFramePaths()) { (Get-ImageInfo $f).Format | Should -Be 'Jpeg' }

        $one = $clip | New-MediaRep -FramesPerVideo 1
        $one.RepFrames | Should -Be 1
        Test-Path (Join-Path (Split-Path $one.RepPath) "$($clip.Id)_f2.jpg") | Should -BeFalse
    }

    It 'records the rep in the rep index, not in the catalog' {
        $json = Get-Content "$lib/.mediatagger/data/reps.json" -Raw | ConvertFrom-Json
        $id = (Get-MediaAsset -Library $lib -Cached | Where-Object RelativePath -EQ 'photo.jpg').Id
        $entry = $json.reps.$id
        $entry.size | Should -Be 512
        $entry.width | Should -Be 512
        $entry.sourceLength | Should -Be (Get-Item "$lib/photo.jpg").Length
        $entry.PSObject.Properties.Name | Should -Not -Contain 'errorId'
        (Get-Content "$lib/.mediatagger/data/assets.json" -Raw | ConvertFrom-Json).PSObject.Properties.Name | Should -Not -Contain 'rep'
    }
}

Describe 'New-MediaRep incremental runs' {
    BeforeAll {
        $lib = New-TestFolder 'reps-inc'
        $i = 0
        foreach ($p in $Photos) { Copy-Item $p "$lib/p$((++$i)).jpg" }
        New-Video "$lib/clip.mp4" $Photos[0] -Seconds 2
        Get-MediaAsset -Path $lib | New-MediaRep | Out-Null
        $reps = "$lib/.mediatagger/derivatives/reps"
    }
    AfterAll { Remove-TestFolder $lib }

    It 're-running on an unchanged library decodes nothing and touches no rep' {
        $before = Get-ChildItem $reps | ForEach-Object { "$($_.Name) $($_.LastWriteTimeUtc.Ticks)" }
        $catalog = (Get-Item "$lib/.mediatagger/data/assets.json").LastWriteTimeUtc
        Start-Sleep -Milliseconds 20
        $out = Get-MediaAsset -Path $lib | New-MediaRep -InformationVariable info
        @($out).Count | Should -Be 5
        $out.RepPath | Should -Not -Contain $null
        Get-Summary $info | Should -Match '5 assets: 0 rendered, 5 up to date, 0 failed'
        Get-ChildItem $reps | ForEach-Object { "$($_.Name) $($_.LastWriteTimeUtc.Ticks)" } | Should -Be $before
        (Get-Item "$lib/.mediatagger/data/assets.json").LastWriteTimeUtc | Should -Be $catalog
        (New-MediaRep -Library $lib -InformationVariable info2 | Measure-Object).Count | Should -Be 5
        Get-Summary $info2 | Should -Match '0 rendered, 5 up to date'
    }

    It 'without input takes the library of the current folder; an empty pipeline renders nothing' {
        Push-Location "$lib"
        try { (New-MediaRep | Measure-Object).Count | Should -Be 5 }
        finally { Pop-Location }
        @() | New-MediaRep -Library $lib | Should -BeNullOrEmpty
    }

    It 'renders a changed file again, and everything with -Force or another -Size' {
        (Get-Item "$lib/p1.jpg").LastWriteTimeUtc = [datetime]::UtcNow.AddMinutes(-5)
        Get-MediaAsset -Path $lib | New-MediaRep -InformationVariable info | Out-Null
        Get-Summary $info | Should -Match '1 rendered, 4 up to date'

        Get-MediaAsset -Path $lib | New-MediaRep -Force -InformationVariable info | Out-Null
        Get-Summary $info | Should -Match '5 rendered, 0 up to date'

        $small = Get-MediaAsset -Path $lib | New-MediaRep -Size 128 -ThrottleLimit 1 -InformationVariable info
        Get-Summary $info | Should -Match '5 rendered'
        foreach ($a in $small) { [Math]::Max($a.RepWidth, $a.RepHeight) | Should -Be 128 }
    }

    It 'renders a rep whose file was deleted' {
        $a = Get-MediaAsset -Library $lib -Cached | Where-Object RelativePath -EQ 'p2.jpg' | New-MediaRep -Size 128
        Remove-Item $a.RepPath
        Get-MediaAsset -Library $lib -Cached | Where-Object RelativePath -EQ 'p2.jpg' | New-MediaRep -Size 128 -InformationVariable info | Out-Null
        Get-Summary $info | Should -Match '1 rendered'
        Test-Path $a.RepPath | Should -BeTrue
    }

    It 'renders nothing with -WhatIf' {
        Remove-Item "$reps/*"
        Get-MediaAsset -Path $lib | New-MediaRep -WhatIf | Should -BeNullOrEmpty
        Get-ChildItem $reps | Should -BeNullOrEmpty
    }

    It 'fails clearly for a library that was never scanned' {
        $empty = New-TestFolder 'unscanned'
        try { { New-MediaRep -Library $empty -ErrorAction Stop } | Should -Throw -ErrorId 'MediaCatalogMissing,*' }
        finally { Remove-TestFolder $empty }
    }
}

Describe 'New-MediaRep on hostile files' {
    BeforeAll {
        $lib = New-TestFolder 'reps-hostile'
        Copy-Item $Photos[0] "$lib/good.jpg"
        New-Picture $Photos[1] "$lib/png-named.jpg" 640 400 -Format Png
        New-Item -ItemType File "$lib/zero.jpg" | Out-Null
        Set-Content "$lib/text.jpg" 'this is not a picture'
        $bytes = [IO.File]::ReadAllBytes($Photos[2])
        [IO.File]::WriteAllBytes("$lib/truncated.jpg", $bytes[0..([int]($bytes.Length / 2))])
        New-Picture $Photos[3] "$lib/corrupt.png" 640 400
        New-Video "$lib/clip.mp4" $Photos[0] -Seconds 2
        $mp4 = [IO.File]::ReadAllBytes("$lib/clip.mp4")
        [IO.File]::WriteAllBytes("$lib/truncated.mp4", $mp4[0..([int]($mp4.Length / 2))])
        # Flip bytes inside the compressed image data and fix the chunk CRC, so only the pixel data is damaged;
        # and a 30000x30000 PNG of 100 KB: a decompression bomb.
        Invoke-Python @"
import struct, zlib
def chunk(t, d): return struct.pack('>I', len(d)) + t + d + struct.pack('>I', zlib.crc32(t + d) & 0xffffffff)
p = '$lib/corrupt.png'
d = bytearray(open(p, 'rb').read())
i = d.find(b'IDAT'); n = struct.unpack('>I', d[i-4:i])[0]
for k in range(i + 4 + n // 2, i + 4 + n // 2 + 64): d[k] ^= 0x5a
d[i+4+n:i+8+n] = struct.pack('>I', zlib.crc32(bytes(d[i:i+4+n])) & 0xffffffff)
open(p, 'wb').write(d)
w = h = 30000
co = zlib.compressobj(9); row = bytes(1 + w // 8 + 1)
data = b''.join(co.compress(row) for _ in range(h)) + co.flush()
open('$lib/bomb.png', 'wb').write(b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 1, 0, 0, 0, 0)) + chunk(b'IDAT', data) + chunk(b'IEND', b''))
"@
        $expected = @{
            'zero.jpg'      = 'MediaRepDecodeFailed'
            'text.jpg'      = 'MediaRepDecodeFailed'
            'truncated.jpg' = 'MediaRepDecodeFailed'
            'corrupt.png'   = 'MediaRepDecodeFailed'
            'truncated.mp4' = 'MediaRepDecodeFailed'
            'bomb.png'      = 'MediaRepTooLarge'
        }
        $out = Get-MediaAsset -Path $lib | New-MediaRep -ErrorVariable errs -ErrorAction SilentlyContinue -InformationVariable info
    }
    AfterAll { Remove-TestFolder $lib }

    It 'reports <Name> as one <Id> error with the file as target, and goes on' -ForEach @(
        @{ Name = 'zero.jpg'; Id = 'MediaRepDecodeFailed' }, @{ Name = 'text.jpg'; Id = 'MediaRepDecodeFailed' },
        @{ Name = 'truncated.jpg'; Id = 'MediaRepDecodeFailed' }, @{ Name = 'corrupt.png'; Id = 'MediaRepDecodeFailed' },
        @{ Name = 'truncated.mp4'; Id = 'MediaRepDecodeFailed' }, @{ Name = 'bomb.png'; Id = 'MediaRepTooLarge' }
    ) {
        $mine = @($errs | Where-Object TargetObject -EQ (Join-Path $lib $Name))
        $mine.Count | Should -Be 1
        Get-ErrorIds $mine | Should -Be $Id
        $mine[0].Exception.Message | Should -BeLike "*$Name*"
    }

    It 'renders the good files, a PNG named .jpg included, and emits only those' {
        @($errs).Count | Should -Be $expected.Count
        $out.RelativePath | Sort-Object | Should -Be @('clip.mp4', 'good.jpg', 'png-named.jpg')
        (Get-ImageInfo ($out | Where-Object RelativePath -EQ 'png-named.jpg').RepPath).Width | Should -Be 512
        Get-Summary $info | Should -Match '9 assets: 3 rendered, 0 up to date, 6 failed'
    }

    It 'marks failures in the rep index so later stages skip them, and leaves no rep or temp file' {
        $cached = Get-MediaAsset -Library $lib -Cached
        foreach ($name in $expected.Keys) {
            $a = $cached | Where-Object RelativePath -EQ $name
            $rep = Get-RecordedRep $lib $name
            $rep.ErrorId | Should -Be $expected[$name]
            $rep.Error | Should -Not -BeNullOrEmpty
            $rep.FramePaths($a) | Should -BeNullOrEmpty
            Test-Path "$lib/.mediatagger/derivatives/reps/$($a.Id).jpg" | Should -BeFalse
        }
        Get-ChildItem "$lib/.mediatagger/derivatives/reps" -Force | Where-Object Name -Like '*.tmp' | Should -BeNullOrEmpty
    }

    It 'retries failed files on the next run' {
        Copy-Item $Photos[2] "$lib/truncated.jpg" -Force
        $again = Get-MediaAsset -Path $lib | New-MediaRep -ErrorVariable errs2 -ErrorAction SilentlyContinue -InformationVariable info2
        Get-Summary $info2 | Should -Match '1 rendered, 3 up to date, 5 failed'
        $again.RelativePath | Should -Contain 'truncated.jpg'
        @($errs2).Count | Should -Be 5
    }

    It 'renders files with unusual names, and the scan reports a name that is not UTF-8' -Skip:(-not $IsLinux) {
        $names = @('photo[1].jpg', 'ünïcödé ✓.jpg', '-dash.jpg', "quote's `"x`".jpg", 'png:colon.jpg', '*.jpg')
        $odd = New-TestFolder 'reps-names'
        try {
            foreach ($n in $names) { [IO.File]::Copy($Photos[1], (Join-Path $odd $n)) }
            & bash -c "cp '$($Photos[0])' '$odd/bad-'`$'\xff\xfe''.jpg'"
            New-Video (Join-Path $odd 'my clip (1) [x].mp4') $Photos[0] -Seconds 1
            $r = Get-MediaAsset -Path $odd -ErrorVariable scanErrs -ErrorAction SilentlyContinue | New-MediaRep -ErrorVariable repErrs
            Get-ErrorIds $scanErrs | Should -Be 'MediaAssetScanInvalidName'
            $repErrs | Should -BeNullOrEmpty
            $r.RelativePath | Sort-Object | Should -Be (@($names) + 'my clip (1) [x].mp4' | Sort-Object)
            foreach ($a in $r) { (Get-ImageInfo $a.RepPath).Format | Should -Be 'Jpeg' }
        }
        finally { Remove-TestFolder $odd }
    }

    It 'reports an unreadable file as MediaRepSourceUnreadable' -Skip:(-not $IsLinux) {
        $locked = New-TestFolder 'reps-locked'
        try {
            Copy-Item $Photos[0] "$locked/open.jpg"
            Copy-Item $Photos[1] "$locked/locked.jpg"
            Get-MediaAsset -Path $locked | Out-Null
            & chmod 000 "$locked/locked.jpg"
            # Root reads any file; drop the capabilities that let it, so the permission bits apply as for a user.
            $script = "`$ProgressPreference = 'SilentlyContinue'; New-MediaRep -Library '$locked' -InformationAction Ignore -ErrorVariable e -ErrorAction SilentlyContinue | ForEach-Object { 'ASSET ' + `$_.RelativePath }; `$e | ForEach-Object { 'ERROR ' + (`$_.FullyQualifiedErrorId -split ',')[0] + ' ' + `$_.TargetObject }"
            $pwsh = @(Get-PwshCommand)
            $encoded = [Convert]::ToBase64String([Text.Encoding]::Unicode.GetBytes("Import-Module '$env:MEDIATAGGER_MODULE'; $script"))
            $lines = if ((& id -u) -eq '0') {
                & setpriv --inh-caps=-dac_override,-dac_read_search --bounding-set=-dac_override,-dac_read_search -- @pwsh -NoProfile -NonInteractive -EncodedCommand $encoded
            }
            else { & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -EncodedCommand $encoded }
            $lines | Should -Contain 'ASSET open.jpg'
            @($lines | Where-Object { $_ -like 'ERROR *' }) | Should -Be @("ERROR MediaRepSourceUnreadable $locked/locked.jpg")
        }
        finally { Remove-TestFolder $locked }
    }

    It 'stops with one terminating error naming the install command when ffmpeg is missing and a video is met' {
        $noff = New-TestFolder 'reps-noffmpeg'
        $path = $env:PATH
        try {
            Copy-Item $Photos[0] "$noff/a.jpg"
            Get-MediaAsset -Path $noff | Out-Null
            $env:PATH = $noff
            # Images alone need no ffmpeg.
            (New-MediaRep -Library $noff).RelativePath | Should -Be 'a.jpg'
            $env:PATH = $path
            New-Video "$noff/v.mp4" $Photos[0] -Seconds 1
            Copy-Item $Photos[1] "$noff/b.jpg"
            Get-MediaAsset -Path $noff | Out-Null
            $env:PATH = $noff
            $thrown = $null
            try { New-MediaRep -Library $noff -ThrottleLimit 1 -ErrorAction Stop | Out-Null } catch { $thrown = $_ }
            $thrown | Should -Not -BeNullOrEmpty
            $thrown.FullyQualifiedErrorId | Should -BeLike 'MediaRepFfmpegNotFound,*'
            $thrown.Exception.Message | Should -Match 'apt-get install ffmpeg'
            # Work finished before the video is kept.
            (Get-RecordedRep $noff 'a.jpg').Failed | Should -BeFalse
        }
        finally {
            $env:PATH = $path
            Remove-TestFolder $noff
        }
    }
}

Describe 'New-MediaRep and Ctrl+C' {
    It 'stops within a second, leaves only whole reps and keeps finished work for the next run' {
        $lib = New-TestFolder 'reps-stop'
        try {
            $sources = @(Get-TestPhoto -Format Jpeg)
            foreach ($n in 1..120) { Copy-Item $sources[$n % $sources.Count] "$lib/p$n.jpg" }
            Get-MediaAsset -Path $lib | Out-Null

            # PowerShell.Stop() is exactly what Ctrl+C does to a running pipeline.
            $ps = [powershell]::Create()
            $null = $ps.AddCommand('Import-Module').AddArgument($env:MEDIATAGGER_MODULE).Invoke()
            $ps.Commands.Clear()
            $null = $ps.AddCommand('New-MediaRep').AddParameter('Library', $lib).AddParameter('ThrottleLimit', 2)
            $handle = $ps.BeginInvoke()
            # Wait until some reps are done (progress reports them), then press "Ctrl+C".
            $deadline = [DateTime]::UtcNow.AddSeconds(30)
            while (-not ($ps.Streams.Progress | Where-Object { $_.PercentComplete -ge 5 }) -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 5 }
            $sw = [Diagnostics.Stopwatch]::StartNew()
            $ps.Stop()
            $sw.Stop()
            try { $ps.EndInvoke($handle) } catch { }
            $ps.InvocationStateInfo.State | Should -Be 'Stopped'
            $ps.Dispose()
            # A hang guard, not a timing: timed assertions flake on a loaded machine; the stop time is printed instead.
            Write-Host "    New-MediaRep stopped in $([math]::Round($sw.Elapsed.TotalSeconds, 2)) s"
            $sw.Elapsed.TotalSeconds | Should -BeLessThan 10

            $reps = "$lib/.mediatagger/derivatives/reps"
            Get-ChildItem $reps -Force | Where-Object Name -Like '*.tmp' | Should -BeNullOrEmpty
            $files = @(Get-ChildItem $reps -Filter '*.jpg')
            $files.Count | Should -BeGreaterThan 0
            $files.Count | Should -BeLessThan 120
            foreach ($f in $files) {
                # A whole JPEG ends with the EOI marker; a half-written one would not.
                $b = [IO.File]::ReadAllBytes($f.FullName)
                '{0:X2}{1:X2}' -f $b[-2], $b[-1] | Should -Be 'FFD9'
                (Get-ImageInfo $f.FullName).Format | Should -Be 'Jpeg'
            }
            $index = [MediaTagger.Core.Reps.RepIndex]::Load([MediaTagger.Core.Library.MediaLibrary]::Open($lib))
            $recorded = @(Get-MediaAsset -Library $lib -Cached | Where-Object { $index.Get($_.Id) })
            $recorded.Count | Should -BeGreaterThan 0
            foreach ($a in $recorded) { Test-Path $index.Get($a.Id).FramePaths($a)[0] | Should -BeTrue }

            New-MediaRep -Library $lib -InformationVariable info | Out-Null
            Get-Summary $info | Should -Match "120 assets: $(120 - $recorded.Count) rendered, $($recorded.Count) up to date, 0 failed"
        }
        finally { Remove-TestFolder $lib }
    }
}

Describe 'ImageRep for files outside a library' {
    It 'renders an arbitrary image file to a JPEG of a given size' {
        $dir = New-TestFolder 'anchor'
        try {
            $size = [MediaTagger.Core.Reps.ImageRep]::Render($Photos[0], "$dir/anchor.jpg", 224)
            [Math]::Max($size.Width, $size.Height) | Should -Be 224
            $i = Get-ImageInfo "$dir/anchor.jpg"
            "$($i.Width)x$($i.Height)" | Should -Be "$($size.Width)x$($size.Height)"
            { [MediaTagger.Core.Reps.ImageRep]::Render($PSCommandPath, "$dir/x.jpg", 224) } | Should -Throw '*not an image*'
        }
        finally { Remove-TestFolder $dir }
    }
}
