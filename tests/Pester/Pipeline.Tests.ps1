# The whole job as a user runs it, on real photographs with the built-in model:
# scan -> reps -> embeddings -> Find-SimilarMedia (two anchors) -> approve above the profile threshold -> sidecars.
BeforeAll {
    Import-Module $env:MEDIATAGGER_MODULE -Force
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force

    $teddy = '/usr/lib/python3/dist-packages/skimage/data/chelsea.png'
    $root = New-TestFolder 'pipeline'
    $lib = Join-Path $root 'Pictures'
    $anchors = Join-Path $root 'anchors'
    New-Item -ItemType Directory "$lib/Teddy", "$lib/Other", "$lib/Videos", $anchors | Out-Null

    # The subject in the library, as a library holds it: resized, cropped, mirrored, recompressed; and in a video.
    & convert $teddy -resize 60% "$lib/Teddy/IMG_0101.jpg"
    & convert $teddy -gravity center -crop 75%x75%+0+0 +repage "$lib/Teddy/IMG_0102.jpg"
    & convert $teddy -flop "$lib/Teddy/IMG_0103.png"
    & convert $teddy -quality 25 "$lib/Teddy/IMG_0104.jpg"
    & ffmpeg -v error -y -loop 1 -i $teddy -t 2 -r 10 -vf 'scale=480:-2,format=yuv420p' "$lib/Videos/teddy.mp4"
    # Known EXIF on one picture, so the automatic tags have something to read.
    & exiftool -q -overwrite_original '-DateTimeOriginal=2019:07:14 10:00:00' '-Make=NIKON CORPORATION' '-Model=NIKON D750' "$lib/Teddy/IMG_0101.jpg"
    # Unrelated photographs, and a foreign sidecar that must survive untouched.
    $i = 0
    foreach ($p in Get-TestPhoto -Count 10 | Where-Object { $_ -notlike '*chelsea*' }) {
        $i++
        & convert $p -resize '1024x1024>' "$lib/Other/photo$i.jpg"
    }
    '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmp:Rating="3"/></rdf:RDF></x:xmpmeta>' |
        Set-Content "$lib/Other/photo1.xmp" -NoNewline
    & convert $teddy "$anchors/teddy-1.png"
    & convert $teddy -gravity center -crop 60%x60%+10+0 +repage "$anchors/teddy-2.jpg"
    $subject = 'Teddy/IMG_0101.jpg', 'Teddy/IMG_0102.jpg', 'Teddy/IMG_0103.png', 'Teddy/IMG_0104.jpg', 'Videos/teddy.mp4'

    function Get-Snapshot {
        # Every file of the library except MediaTagger's own store: path -> SHA-256.
        $map = @{}
        Get-ChildItem $lib -Recurse -File | Where-Object FullName -NotLike "*$([IO.Path]::DirectorySeparatorChar).mediatagger$([IO.Path]::DirectorySeparatorChar)*" |
            ForEach-Object { $map[[IO.Path]::GetRelativePath($lib, $_.FullName)] = (Get-FileHash $_.FullName).Hash }
        $map
    }

    function Invoke-Pipeline {
        $info = @()
        $assets = Get-MediaAsset -Path $lib | New-MediaRep -FramesPerVideo 2 -InformationVariable +info | Add-MediaEmbedding -InformationVariable +info
        $candidates = Find-SimilarMedia -Library $lib -Anchor "$anchors/teddy-1.png", "$anchors/teddy-2.jpg" -Profile pets
        $approved = $candidates | Where-Object Score -GE (Get-MediaTaggerProfile pets).QueryDefaults.ImageFor('resnet18').MinScore
        $written = $approved | Set-MediaXmpTag -Profile pets -Label Teddy -PassThru -InformationVariable +info
        [pscustomobject]@{ Assets = $assets; Candidates = $candidates; Written = $written; Info = ($info | ForEach-Object { "$_" }) }
    }

    $before = Get-Snapshot
    $first = Invoke-Pipeline
    $afterFirst = Get-Snapshot
    $store = Join-Path $lib '.mediatagger/data/embeddings/resnet18'
    $f32First = (Get-Item (Get-TestStore $lib resnet18).DataPath).Length
    $repsFirst = Get-ChildItem (Join-Path $lib '.mediatagger/derivatives/reps') | ForEach-Object { "$($_.Name) $($_.LastWriteTimeUtc.Ticks)" }
    $second = Invoke-Pipeline
}
AfterAll { Remove-TestFolder $root }

Describe 'The whole pipeline on real photos' {
    It 'finds the subject above every unrelated photo' {
        $first.Candidates.Count | Should -Be $subject.Count
        $first.Candidates.RelativePath | Sort-Object | Should -Be ($subject | Sort-Object)
    }

    It 'tags exactly the subject, as exiftool reads it' {
        $sidecars = Get-ChildItem $lib -Recurse -Filter '*.xmp' | Where-Object Name -NE 'photo1.xmp'
        $sidecars.Count | Should -Be $subject.Count
        foreach ($rel in $subject) {
            $sidecar = [IO.Path]::ChangeExtension((Join-Path $lib $rel), '.xmp')
            $json = & exiftool -j -XMP-lr:HierarchicalSubject -XMP-digiKam:TagsList -XMP-dc:Subject $sidecar | ConvertFrom-Json
            $json.HierarchicalSubject | Should -Contain 'Pets|Teddy'
            $json.TagsList | Should -Contain 'Pets/Teddy'
            $json.Subject | Should -Contain 'Teddy'
        }
        $nikon = & exiftool -j -XMP-lr:HierarchicalSubject "$lib/Teddy/IMG_0101.xmp" | ConvertFrom-Json
        $nikon.HierarchicalSubject | Should -Contain 'Year|2019'
        $nikon.HierarchicalSubject | Should -Contain 'Camera|NIKON D750'
    }

    It 'touches nothing else: media files unchanged, the foreign sidecar unchanged' {
        foreach ($key in $before.Keys) { $afterFirst[$key] | Should -Be $before[$key] -Because "$key is not ours to change" }
        @($afterFirst.Keys | Where-Object { -not $before.ContainsKey($_) } | Sort-Object) |
            Should -Be @($subject | ForEach-Object { [IO.Path]::ChangeExtension($_, '.xmp') } | Sort-Object)
    }

    It 'does nothing again on a second run: no re-render, no re-embedding, no duplicate tags' {
        ($second.Info | Where-Object { $_ -like '*rendered*' }) | Should -Match "^$($first.Assets.Count) assets: 0 rendered, $($first.Assets.Count) up to date, 0 failed"
        ($second.Info | Where-Object { $_ -like '*embedded*' }) | Should -Match '^0 embedded'
        (Get-Item (Get-TestStore $lib resnet18).DataPath).Length | Should -Be $f32First
        Get-ChildItem (Join-Path $lib '.mediatagger/derivatives/reps') | ForEach-Object { "$($_.Name) $($_.LastWriteTimeUtc.Ticks)" } | Should -Be $repsFirst
        ($second.Info | Where-Object { $_ -like '*sidecars written*' }) | Should -Match "^0 sidecars written, $($subject.Count) already up to date"
        $afterSecond = Get-Snapshot
        foreach ($key in $afterFirst.Keys) { $afterSecond[$key] | Should -Be $afterFirst[$key] -Because "$key must not change on a re-run" }
        $afterSecond.Count | Should -Be $afterFirst.Count
    }
}
