# Robust anchors on real photos with the built-in ResNet18: mirrored and turned copies are found through the
# anchor's views, BestAnchorView names the view, and scores use the whole scale (unrelated near 0, copies near 1).
BeforeAll {
    Import-Module $env:MEDIATAGGER_MODULE -Force
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Add-Type -Path (Join-Path $env:MEDIATAGGER_MODULE 'Magick.NET-Q8-AnyCPU.dll') -ErrorAction SilentlyContinue

    $photos = @(Get-TestPhoto -Count 12)
    $lib = New-TestFolder
    $outside = New-TestFolder 'anchors'
    $anchorPath = Join-Path $outside 'subject.jpg'
    $fit = { param($i) $i.Resize([ImageMagick.MagickGeometry]::new(900, 900)) }
    Save-Variant $photos[0] $anchorPath $fit
    Save-Variant $anchorPath "$lib/copies/mirrored.jpg" { param($i) $i.Flop() }
    Save-Variant $anchorPath "$lib/copies/turned.jpg" { param($i) $i.Rotate(90) }
    Save-Variant $anchorPath "$lib/copies/upside-down.jpg" { param($i) $i.Rotate(180) }
    for ($n = 1; $n -lt $photos.Count; $n++) { Save-Variant $photos[$n] "$lib/other/photo$n.jpg" $fit }
    Get-MediaAsset -Path $lib | New-MediaRep | Add-MediaEmbedding | Out-Null
    $copies = 'copies/mirrored.jpg', 'copies/turned.jpg', 'copies/upside-down.jpg'
}
AfterAll {
    Remove-TestFolder $lib
    Remove-TestFolder $outside
}

Describe 'Find-SimilarMedia -AnchorViews (ResNet18, real photos)' {
    It 'finds mirrored and turned copies first by default, and names the view that matched' {
        $m = Find-SimilarMedia -Library $lib -Anchor $anchorPath -MinScore -1
        $m[0..2].RelativePath | Sort-Object | Should -Be ($copies | Sort-Object)
        ($m | Where-Object RelativePath -EQ 'copies/mirrored.jpg').BestAnchorView | Should -Be 'Mirrored'
        ($m | Where-Object RelativePath -EQ 'copies/turned.jpg').BestAnchorView | Should -Be 'Rotated90'
        ($m | Where-Object RelativePath -EQ 'copies/upside-down.jpg').BestAnchorView | Should -Be 'Rotated180'
        $m[0..2] | ForEach-Object { $_.Score | Should -BeGreaterThan 0.85 }
        $m[0].BestAnchor | Should -Be $anchorPath
        # Saved with the results, for review and scripts.
        $saved = Get-Content "$lib/.mediatagger/data/last_query.json" -Raw | ConvertFrom-Json
        ($saved.results | Where-Object relativePath -EQ 'copies/turned.jpg').bestAnchorView | Should -Be 'rotated90'
    }

    It 'uses the whole scale: unrelated photos score near 0, far below the copies' {
        $m = Find-SimilarMedia -Library $lib -Anchor $anchorPath -MinScore -1
        $unrelated = @($m | Where-Object RelativePath -Like 'other/*' | ForEach-Object Score | Sort-Object)
        $unrelated[[int][math]::Floor($unrelated.Count / 2)] | Should -BeLessThan 0.3
        $unrelated[-1] | Should -BeLessThan 0.7
    }

    It 'matches the anchor as it is with -AnchorViews None, and mirrored only with Mirror' {
        $all = Find-SimilarMedia -Library $lib -Anchor $anchorPath -MinScore -1
        $none = Find-SimilarMedia -Library $lib -Anchor $anchorPath -MinScore -1 -AnchorViews None
        $none.BestAnchorView | Select-Object -Unique | Should -Be 'Original'
        $turned = { param($r) ($r | Where-Object RelativePath -EQ 'copies/turned.jpg').Score }
        (& $turned $none) | Should -BeLessThan ((& $turned $all) - 0.2)
        $mirror = Find-SimilarMedia -Library $lib -Anchor $anchorPath -MinScore -1 -AnchorViews Mirror
        $mirror.BestAnchorView | Select-Object -Unique | Sort-Object | ForEach-Object { $_ | Should -BeIn 'Original', 'Mirrored' }
        ($mirror | Where-Object RelativePath -EQ 'copies/mirrored.jpg').BestAnchorView | Should -Be 'Mirrored'
    }

    It 'gives an anchor that is already in the library its views too' {
        $asset = Get-MediaAsset -Library $lib -Cached | Where-Object RelativePath -EQ 'copies/turned.jpg'
        $m = Find-SimilarMedia -Anchor $asset -K 4 -MinScore -1
        $m[0].RelativePath | Should -Be 'copies/turned.jpg'
        $m[0].BestAnchorView | Should -Be 'Original'
        $m[0].Score | Should -BeGreaterThan 0.999
        # Its stored vector is the Original view; turned a further 90° it is the upside-down copy.
        $up = $m | Where-Object RelativePath -EQ 'copies/upside-down.jpg'
        $up.Rank | Should -BeLessOrEqual 3
        $up.BestAnchorView | Should -Be 'Rotated90'
    }
}
