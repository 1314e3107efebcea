# End to end on real photographs with the built-in ResNet18: scan -> reps -> embeddings -> search.
BeforeAll {
    Import-Module $env:MEDIATAGGER_MODULE -Force
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Add-Type -Path (Join-Path $env:MEDIATAGGER_MODULE 'Magick.NET-Q8-AnyCPU.dll') -ErrorAction SilentlyContinue

    $photos = @(Get-TestPhoto -Count 9)
    $anchor = $photos[0]          # the subject; lives OUTSIDE the library
    $others = $photos[1..8]
    $lib = New-TestFolder
    $outside = New-TestFolder 'anchors'

    Copy-Item $anchor (Join-Path $outside "subject$([IO.Path]::GetExtension($anchor))")
    $anchorPath = (Get-ChildItem $outside).FullName
    # Copies of the subject as a library would hold them: smaller, cropped, recompressed hard.
    Save-Variant $anchor "$lib/copies/resized.jpg" { param($i) $i.Resize([ImageMagick.Percentage]::new(45)) }
    Save-Variant $anchor "$lib/copies/cropped.jpg" { param($i) $i.Crop([ImageMagick.MagickGeometry]::new([int]($i.Width * 0.1), [int]($i.Height * 0.1), [int]($i.Width * 0.8), [int]($i.Height * 0.8))); $i.ResetPage() }
    Save-Variant $anchor "$lib/copies/recompressed.jpg" { param($i) $i.Quality = 25 }
    $i = 0
    foreach ($p in $others) { $i++; Save-Variant $p "$lib/other/photo$i.jpg" { param($img) $img.Resize([ImageMagick.MagickGeometry]::new(800, 800)) } }

    # A video whose first two thirds show other photos and whose last third shows the subject.
    $frames = 0..2 | ForEach-Object { Join-Path $outside "frame$_.png" }
    Save-Variant $others[0] $frames[0] { param($img) $img.Resize([ImageMagick.MagickGeometry]::new('320x240!')) }
    Save-Variant $others[1] $frames[1] { param($img) $img.Resize([ImageMagick.MagickGeometry]::new('320x240!')) }
    Save-Variant $anchor $frames[2] { param($img) $img.Resize([ImageMagick.MagickGeometry]::new('320x240!')) }
    New-Item -ItemType Directory -Force "$lib/video" | Out-Null
    & ffmpeg -v error -y -loop 1 -t 2 -i $frames[0] -loop 1 -t 2 -i $frames[1] -loop 1 -t 2 -i $frames[2] `
        -filter_complex '[0]setsar=1[a];[1]setsar=1[b];[2]setsar=1[c];[a][b][c]concat=n=3:v=1[v]' -map '[v]' -r 5 -pix_fmt yuv420p "$lib/video/clip.mp4"
    $frames | Remove-Item

    Get-MediaAsset -Path $lib | New-MediaRep -FramesPerVideo 3 | Add-MediaEmbedding | Out-Null
    $catalogCount = @(Get-MediaAsset -Library $lib -Cached).Count
    $copies = 'copies/resized.jpg', 'copies/cropped.jpg', 'copies/recompressed.jpg'
}
AfterAll {
    Remove-TestFolder $lib
    Remove-TestFolder $outside
}

Describe 'Find-SimilarMedia on real photos (ResNet18)' {
    It 'ranks the resized, cropped and recompressed copies of an outside anchor above every unrelated photo' {
        $m = Find-SimilarMedia -Library $lib -Anchor $anchorPath -MinScore -1
        $m.Count | Should -Be $catalogCount
        $m[0..2].RelativePath | Sort-Object | Should -Be ($copies | Sort-Object)
        $m[0].Model | Should -Be 'resnet18'
        $m[0].BestAnchor | Should -Be $anchorPath
        $m[0].Score | Should -BeGreaterThan 0.9
        $unrelated = $m | Where-Object RelativePath -Like 'other/*'
        ($unrelated | Measure-Object Score -Maximum).Maximum | Should -BeLessThan ($m[2].Score)
        # Files from Get-ChildItem and relative paths work as anchors too.
        (Get-ChildItem $outside -Filter 'subject.*' | Find-SimilarMedia -Library $lib -K 3).RelativePath | Sort-Object | Should -Be ($copies | Sort-Object)
        Push-Location $outside
        try { (Find-SimilarMedia -Library $lib -Anchor ./subject* -K 1).BestAnchor | Should -Be $anchorPath }
        finally { Pop-Location }
        # The outside anchor was embedded on the fly, not added to the library.
        @(Get-MediaAsset -Library $lib -Cached).Count | Should -Be $catalogCount
        Get-ChildItem "$lib/.mediatagger/derivatives/reps" | Where-Object Name -NotMatch '^[0-9a-f]{40}(_f\d+)?\.jpg$' | Should -BeNullOrEmpty
    }

    It 'scores a multi-frame video as its best frame and names it' {
        $m = Find-SimilarMedia -Library $lib -Anchor $anchorPath -MinScore -1
        $video = $m | Where-Object RelativePath -EQ 'video/clip.mp4'
        $video.BestFrame | Should -Be 3
        $video.Rank | Should -BeLessOrEqual 4
        $byFirstFrame = Find-SimilarMedia -Library $lib -Anchor (Get-MediaAsset -Library $lib -Cached | Where-Object RelativePath -EQ 'other/photo1.jpg') -MinScore -1
        ($byFirstFrame | Where-Object RelativePath -EQ 'video/clip.mp4').BestFrame | Should -Be 1
    }

    It 'takes the maximum over anchors: each anchor finds its own photos, and names itself as BestAnchor' {
        $second = Get-MediaAsset -Library $lib -Cached | Where-Object RelativePath -EQ 'other/photo5.jpg'
        $m = Find-SimilarMedia -Library $lib -Anchor $anchorPath, $second -MinScore -1 -K 4
        $m.RelativePath | Should -Contain 'other/photo5.jpg'
        ($m | Where-Object RelativePath -EQ 'other/photo5.jpg').BestAnchor | Should -Be $second.Path
        ($m | Where-Object RelativePath -EQ 'other/photo5.jpg').Score | Should -BeGreaterThan 0.999
        @($m | Where-Object RelativePath -In $copies).Count | Should -Be 3
        ($m | Where-Object RelativePath -In $copies).BestAnchor | Select-Object -Unique | Should -Be $anchorPath
    }

    It 'drops exactly the items closer to the negative anchor than to the anchor' {
        $negative = "$lib/other/photo2.jpg"
        $pos = @{}; Find-SimilarMedia -Library $lib -Anchor $anchorPath -MinScore -1 | ForEach-Object { $pos[$_.Id] = $_.Score }
        $neg = @{}; Find-SimilarMedia -Library $lib -Anchor $negative -MinScore -1 | ForEach-Object { $neg[$_.Id] = $_.Score }
        $m = Find-SimilarMedia -Library $lib -Anchor $anchorPath -NegativeAnchor $negative -MinScore -1
        $video = (Get-MediaAsset -Library $lib -Cached | Where-Object Type -EQ Video).Id
        # Images: kept exactly when their similarity to the negative does not exceed that to the anchor.
        $expected = $pos.Keys | Where-Object { $_ -ne $video -and $neg[$_] -le $pos[$_] } | Sort-Object
        ($m.Id | Where-Object { $_ -ne $video } | Sort-Object) | Should -Be $expected
        $m.RelativePath | Should -Not -Contain 'other/photo2.jpg'
        $m.RelativePath | Should -Contain 'copies/cropped.jpg'
        foreach ($r in $m | Where-Object Id -NE $video) {
            $r.NegativeScore | Should -BeLessOrEqual ($r.Score + 1e-6)
            [math]::Abs($r.NegativeScore - $neg[$r.Id]) | Should -BeLessThan 1e-5
            $r.Margin | Should -BeGreaterOrEqual 0
        }
        # Videos: the rule applies frame by frame. Frame 2 of the clip IS the negative photo, but frame 3 shows the
        # subject, so the clip stays, scored and compared on frame 3.
        $clip = $m | Where-Object Id -EQ $video
        $clip.BestFrame | Should -Be 3
        $clip.NegativeScore | Should -BeLessThan $clip.Score
        $neg[$video] | Should -BeGreaterThan $clip.NegativeScore
        (Find-SimilarMedia -Library $lib -Anchor $negative -MinScore -1 | Where-Object Id -EQ $video).BestFrame | Should -Be 2
    }

    It 'bounds results with -K and -MinScore and writes last_query.json and -OutFile' {
        $all = Find-SimilarMedia -Library $lib -Anchor $anchorPath -MinScore -1
        $cut = $all[4].Score
        $m = Find-SimilarMedia -Library $lib -Anchor $anchorPath -MinScore $cut -OutFile subject.json
        $m.Count | Should -Be 5
        ($m | Where-Object Score -LT $cut) | Should -BeNullOrEmpty
        (Find-SimilarMedia -Library $lib -Anchor $anchorPath -MinScore -1 -K 2 -OutFile top2).Count | Should -Be 2

        $saved = Get-Content "$lib/.mediatagger/data/subject.json" -Raw | ConvertFrom-Json
        $saved.kind | Should -Be 'similar'
        $saved.model | Should -Be 'resnet18'
        $saved.anchors | Should -Be @($anchorPath)
        $saved.minScore | Should -Be $cut
        $saved.results.id | Should -Be $m.Id
        $saved.results.relativePath | Should -Be $m.RelativePath
        $saved.results[0].score | Should -Be $m[0].Score
        $last = Get-Content "$lib/.mediatagger/data/last_query.json" -Raw | ConvertFrom-Json
        $last.k | Should -Be 2
        $last.results | Should -HaveCount 2
        (Get-Content "$lib/.mediatagger/data/top2.json" -Raw | ConvertFrom-Json).results.id | Should -Be $last.results.id
    }

    It 'reports an undecodable anchor and searches with the others' {
        $bad = Join-Path $outside 'broken.jpg'
        [IO.File]::WriteAllBytes($bad, [byte[]](0xFF, 0xD8, 0xFF, 0xE0) + [byte[]]::new(200))
        $m = Find-SimilarMedia -Library $lib -Anchor $bad, $anchorPath -ErrorVariable errs -ErrorAction SilentlyContinue -MinScore -1
        Get-ErrorIds $errs | Should -Be 'MediaSearchAnchorUnreadable'
        $errs[0].TargetObject | Should -Be $bad
        $m[0..2].RelativePath | Sort-Object | Should -Be ($copies | Sort-Object)
    }

    It 'never searches a store built by other weights with this model''s vectors' {
        $metaFile = "$lib/.mediatagger/data/embeddings/resnet18/embeddings.meta.json"
        $original = Get-Content $metaFile -Raw
        try {
            $meta = $original | ConvertFrom-Json
            $meta.modelId = 'someone-else/other-weights@1'
            $meta | ConvertTo-Json | Set-Content $metaFile
            $err = $null
            try { Find-SimilarMedia -Library $lib -Anchor $anchorPath } catch { $err = $_ }
            $err.FullyQualifiedErrorId | Should -BeLike 'MediaEmbeddingStoreModelMismatch*'
            $err.Exception.Message | Should -Match ([regex]::Escape("Add-MediaEmbedding -Library '$lib' -Model resnet18 -Force"))
            $err.Exception.Message | Should -Match 'other-weights'
        }
        finally { [IO.File]::WriteAllText($metaFile, $original) }
    }

    It 'fails text search with the image-only model, naming the install command' {
        $err = $null
        try { Find-MediaByText -Library $lib -Text 'a photo of a dog' } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -BeLike 'MediaModelHasNoTextTower*'
        $err.Exception.Message | Should -Match 'Install-MediaTaggerModel'
    }

    It 'leaves out assets already tagged with -ExcludeTag (either sidecar naming, tags below included)' {
        $resized = Join-Path $lib 'copies/resized.jpg'
        $cropped = Join-Path $lib 'copies/cropped.jpg'
        try {
            Set-MediaXmpTag -Path $resized -Tag 'Pets|Subject|Young' -NoAutoTag
            Set-MediaXmpTag -Path $cropped -Tag 'Places|Beach' -NoAutoTag -SidecarNaming FullName
            $m = Find-SimilarMedia -Library $lib -Anchor $anchorPath -MinScore -1 -ExcludeTag 'pets|subject', 'Places|Beach'
            $m.RelativePath | Should -Not -Contain 'copies/resized.jpg'
            $m.RelativePath | Should -Not -Contain 'copies/cropped.jpg'
            $m.RelativePath | Should -Contain 'copies/recompressed.jpg'
            $m.Count | Should -Be ($catalogCount - 2)
            (Find-SimilarMedia -Library $lib -Anchor $anchorPath -MinScore -1 -ExcludeTag 'Pets|Other').Count | Should -Be $catalogCount
        }
        finally {
            Remove-Item "$lib/copies/resized.xmp", "$lib/copies/cropped.jpg.xmp" -ErrorAction Ignore
        }
    }

    It 'leaves out what a person rejected, by review label or for the same question, with -ExcludeReviewed' {
        $library = [MediaTagger.Core.Library.MediaLibrary]::Open($lib, [NullString]::Value)
        $all = Find-SimilarMedia -Library $lib -Anchor $anchorPath -MinScore -1
        $cropped = $all | Where-Object RelativePath -EQ 'copies/cropped.jpg'
        $resized = $all | Where-Object RelativePath -EQ 'copies/resized.jpg'
        $question = Get-Content (Join-Path $lib '.mediatagger/data/last_query.json') -Raw | ConvertFrom-Json
        try {
            # A review of this very question rejected the crop; an older one under the label "Subject" rejected the resized copy
            # and a later one approved it again: the latest decision counts.
            function Save-Review($Label, $Query, $Id, [bool] $Approved, [datetime] $When) {
                $record = [MediaTagger.Core.Review.ReviewRecord]@{ Label = $Label; CreatedUtc = $When }
                if ($Query) {
                    $record.Query = [MediaTagger.Core.Search.QueryRecord]@{ Kind = 'similar'; Anchors = [Collections.Generic.List[string]]@($Query.anchors) }
                    $record.QueryKey = [MediaTagger.Core.Review.ReviewQueryKey]::For($record.Query)
                }
                $record.Decisions.Add([MediaTagger.Core.Review.ReviewDecision]@{ Id = $Id; Approved = $Approved })
                [MediaTagger.Core.Review.ReviewHistory]::Save($library, $record) | Out-Null
            }
            Save-Review $null $question $cropped.Id $false ([datetime]::UtcNow.AddMinutes(-3))
            Save-Review 'Subject' $null $resized.Id $false ([datetime]::UtcNow.AddMinutes(-2))
            Save-Review 'Subject' $null $all[-1].Id $false ([datetime]::UtcNow.AddMinutes(-2))
            Save-Review 'Subject' $null $resized.Id $true ([datetime]::UtcNow.AddMinutes(-1))

            $sameQuestion = Find-SimilarMedia -Library $lib -Anchor $anchorPath -MinScore -1 -ExcludeReviewed
            $sameQuestion.Id | Should -Not -Contain $cropped.Id
            $sameQuestion.Count | Should -Be ($catalogCount - 1)

            $byLabel = Find-SimilarMedia -Library $lib -Anchor $anchorPath -MinScore -1 -ExcludeReviewed -ReviewLabel subject
            $byLabel.Id | Should -Contain $resized.Id
            $byLabel.Id | Should -Contain $cropped.Id
            $byLabel.Id | Should -Not -Contain $all[-1].Id

            (Find-SimilarMedia -Library $lib -Anchor $anchorPath -MinScore -1).Count | Should -Be $catalogCount
        }
        finally {
            Remove-Item (Join-Path $lib '.mediatagger/data/reviews') -Recurse -Force -ErrorAction Ignore
        }
    }

    It 'takes a video result used as an anchor as the frame that matched, unless -WholeVideo (issue 13)' {
        # The clip's third frame is the subject; its first frame is other/photo1.jpg. Reusing the video result as an
        # anchor (help Example 4) must not bring in photo1 through the frame that did not match.
        $video = Find-SimilarMedia -Library $lib -Anchor $anchorPath -MinScore -1 | Where-Object RelativePath -EQ 'video/clip.mp4'
        $video.BestFrame | Should -Be 3
        $byFrame = Find-SimilarMedia -Library $lib -Anchor $video -MinScore -1
        $byWhole = Find-SimilarMedia -Library $lib -Anchor $video -WholeVideo -MinScore -1
        $photo1 = { param($m) ($m | Where-Object RelativePath -EQ 'other/photo1.jpg').Score }
        (& $photo1 $byWhole) | Should -BeGreaterThan 0.9
        (& $photo1 $byFrame) | Should -BeLessThan ((& $photo1 $byWhole) - 0.1)
        # The copies of the subject are still what the matched frame finds first.
        ($byFrame | Where-Object RelativePath -Like 'copies/*' | Measure-Object Score -Minimum).Minimum | Should -BeGreaterThan (& $photo1 $byFrame)
        ($byFrame | Where-Object RelativePath -EQ 'copies/resized.jpg').BestAnchor | Should -BeLike '*clip.mp4 (frame 3)'
    }

}
