BeforeAll {
    Import-Module $env:MEDIATAGGER_MODULE -Force
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force

    # Per-user folder (user profiles, journal of files outside any library) isolated for these tests.
    $script:savedHome = $env:MEDIATAGGER_HOME
    $script:userHome = New-TestFolder 'home'
    $env:MEDIATAGGER_HOME = $script:userHome

    # One tiny real JPEG, copied wherever a test needs a photo (ffmpeg once is cheaper than once per test).
    $script:fixtures = New-TestFolder 'fixtures'
    $script:jpeg = Join-Path $script:fixtures 'tiny.jpg'
    & ffmpeg -v error -f lavfi -i 'color=c=orange:s=32x24' -frames:v 1 -y $script:jpeg
    if (-not (Test-Path $script:jpeg)) { throw 'ffmpeg could not make the test JPEG' }

    $script:tagProperties = 'XMP-lr:HierarchicalSubject', 'XMP-digiKam:TagsList', 'XMP-dc:Subject', 'XMP-microsoft:LastKeywordXMP', 'XMP-mediapro:CatalogSets'

    function New-Photo([string] $Path, [string[]] $Exif = @()) {
        New-Item -ItemType Directory -Force (Split-Path $Path) | Out-Null
        Copy-Item $script:jpeg $Path
        if ($Exif) { & exiftool -q -overwrite_original @Exif $Path | Out-Null }
        $Path
    }

    # exiftool's view of a file: group-qualified names, raw values, every duplicate.
    function Get-ExifJson([string] $Path) {
        $json = & exiftool -j -G1 -a -n -struct $Path | ConvertFrom-Json
        $result = [ordered]@{}
        foreach ($p in $json[0].PSObject.Properties) {
            if ($p.Name -match '^(SourceFile|System:|File:|ExifTool:)' -or $p.Name -eq 'XMP-x:XMPToolkit') { continue }
            $result[$p.Name] = $p.Value | ConvertTo-Json -Compress -Depth 20
        }
        $result
    }

    function Get-TagValues([string] $Path, [string] $Property) {
        $json = & exiftool -j -G1 -a -struct $Path | ConvertFrom-Json
        @($json[0].$Property | Where-Object { $null -ne $_ })
    }

    # Asserts that every foreign property survived and tag properties only grew.
    function Assert-ForeignPropertiesKept($Before, $After) {
        foreach ($key in $Before.Keys) {
            if ($key -in $script:tagProperties) {
                $old = @($Before[$key] | ConvertFrom-Json)
                $new = @($After[$key] | ConvertFrom-Json)
                foreach ($item in $old) { $new | Should -Contain $item -Because "$key must keep '$item'" }
                continue
            }
            $After.Contains($key) | Should -BeTrue -Because "$key must survive the merge"
            $After[$key] | Should -Be $Before[$key] -Because "$key must keep its value"
        }
        foreach ($key in $After.Keys) {
            if (-not $Before.Contains($key)) { $key | Should -BeIn $script:tagProperties -Because 'only tag properties may appear' }
        }
    }

    function Write-Utf8([string] $Path, [string] $Text) {
        [IO.File]::WriteAllText($Path, $Text, [Text.UTF8Encoding]::new($false))
    }

    $script:lightroomSidecar = @'
<x:xmpmeta xmlns:x="adobe:ns:meta/" x:xmptk="Adobe XMP Core 7.0-c000 1.000000, 0000/00/00-00:00:00        ">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:tiff="http://ns.adobe.com/tiff/1.0/"
    xmlns:exif="http://ns.adobe.com/exif/1.0/"
    xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/"
    xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/"
    xmlns:stEvt="http://ns.adobe.com/xap/1.0/sType/ResourceEvent#"
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:crs="http://ns.adobe.com/camera-raw-settings/1.0/"
    xmlns:lr="http://ns.adobe.com/lightroom/1.0/"
   xmp:ModifyDate="2021-07-04T18:21:02+02:00"
   xmp:Rating="4"
   xmp:Label="Red"
   tiff:Make="Canon"
   tiff:Model="Canon EOS 5D"
   exif:DateTimeOriginal="2021-07-04T10:00:00"
   photoshop:City="Zürich"
   photoshop:DateCreated="2021-07-04T10:00:00"
   xmpMM:DocumentID="xmp.did:8d2f0f6c-1b7e-4f5c-9d3f-0a5f3b7c2e11"
   crs:Version="15.0"
   crs:ProcessVersion="11.0"
   crs:WhiteBalance="As Shot"
   crs:Exposure2012="+0.35"
   crs:Contrast2012="+12"
   crs:Highlights2012="-40"
   crs:HasSettings="True">
   <dc:creator>
    <rdf:Seq>
     <rdf:li>Jürgen Groß</rdf:li>
    </rdf:Seq>
   </dc:creator>
   <dc:title>
    <rdf:Alt>
     <rdf:li xml:lang="x-default">Sommer am See – 夏</rdf:li>
    </rdf:Alt>
   </dc:title>
   <dc:subject>
    <rdf:Bag>
     <rdf:li>Holiday</rdf:li>
     <rdf:li>Trips</rdf:li>
    </rdf:Bag>
   </dc:subject>
   <lr:hierarchicalSubject>
    <rdf:Bag>
     <rdf:li>Trips|Holiday</rdf:li>
    </rdf:Bag>
   </lr:hierarchicalSubject>
   <crs:ToneCurvePV2012>
    <rdf:Seq>
     <rdf:li>0, 0</rdf:li>
     <rdf:li>128, 140</rdf:li>
     <rdf:li>255, 255</rdf:li>
    </rdf:Seq>
   </crs:ToneCurvePV2012>
   <xmpMM:History>
    <rdf:Seq>
     <rdf:li
      stEvt:action="saved"
      stEvt:instanceID="xmp.iid:1c1b6a2e-6d5c-4a43-8f0e-2f7a1b9c0d11"
      stEvt:when="2021-07-04T18:21:02+02:00"
      stEvt:softwareAgent="Adobe Photoshop Lightroom Classic 10.0 (Windows)"
      stEvt:changed="/metadata"/>
    </rdf:Seq>
   </xmpMM:History>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
'@

    $script:darktableSidecar = @'
<?xml version="1.0" encoding="UTF-8"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/" x:xmptk="XMP Core 4.4.0-Exiv2">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:exif="http://ns.adobe.com/exif/1.0/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/"
    xmlns:darktable="http://darktable.sf.net/"
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:lr="http://ns.adobe.com/lightroom/1.0/"
   exif:DateTimeOriginal="2019:07:04 10:00:00"
   xmp:Rating="3"
   xmpMM:DerivedFrom="IMG_1.JPG"
   darktable:import_timestamp="63757463837000000"
   darktable:change_timestamp="63757463999000000"
   darktable:xmp_version="5"
   darktable:raw_params="0"
   darktable:auto_presets_applied="1"
   darktable:history_end="2"
   darktable:iop_order_version="2">
   <darktable:history>
    <rdf:Seq>
     <rdf:li
      darktable:num="0"
      darktable:operation="exposure"
      darktable:enabled="1"
      darktable:modversion="6"
      darktable:params="0000000000000000000000000000803f"
      darktable:multi_name=""
      darktable:multi_priority="0"
      darktable:blendop_version="11"
      darktable:blendop_params="gz11eJxjYGBgkGAAgRNODGgAIT4AAP8ZBCY="/>
     <rdf:li
      darktable:num="1"
      darktable:operation="colorbalancergb"
      darktable:enabled="1"
      darktable:modversion="5"
      darktable:params="9a99193e00000000cdcc4c3e"
      darktable:multi_name="ünïcode ✓"
      darktable:multi_priority="0"
      darktable:blendop_version="11"
      darktable:blendop_params="gz11eJxjYGBgkGAAgRNODGgAIT4AAP8ZBCY="/>
    </rdf:Seq>
   </darktable:history>
   <dc:subject>
    <rdf:Bag>
     <rdf:li>darktable</rdf:li>
     <rdf:li>format</rdf:li>
     <rdf:li>jpg</rdf:li>
    </rdf:Bag>
   </dc:subject>
   <lr:hierarchicalSubject>
    <rdf:Bag>
     <rdf:li>darktable|format|jpg</rdf:li>
    </rdf:Bag>
   </lr:hierarchicalSubject>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
'@

    $script:digiKamSidecar = @'
<?xpacket begin="﻿" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/" x:xmptk="XMP Core 4.4.0-Exiv2">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:digiKam="http://www.digikam.org/ns/1.0/"
    xmlns:MicrosoftPhoto="http://ns.microsoft.com/photo/1.0/"
    xmlns:mediapro="http://ns.iview-multimedia.com/mediapro/1.0/"
    xmlns:acdsee="http://ns.acdsee.com/iptc/1.0/"
    xmlns:mystery="http://example.org/unknown-tool/2.0/"
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:lr="http://ns.adobe.com/lightroom/1.0/"
   xmp:Rating="5"
   xmp:Label="Green"
   MicrosoftPhoto:Rating="99"
   acdsee:categories="&lt;Categories&gt;&lt;Category Assigned=&quot;1&quot;&gt;Family&lt;/Category&gt;&lt;/Categories&gt;"
   mystery:Note="Grüße aus Köln ✓">
   <digiKam:TagsList>
    <rdf:Seq>
     <rdf:li>Family/Grandma</rdf:li>
    </rdf:Seq>
   </digiKam:TagsList>
   <MicrosoftPhoto:LastKeywordXMP>
    <rdf:Bag>
     <rdf:li>Family/Grandma</rdf:li>
    </rdf:Bag>
   </MicrosoftPhoto:LastKeywordXMP>
   <mediapro:CatalogSets>
    <rdf:Bag>
     <rdf:li>Family|Grandma</rdf:li>
    </rdf:Bag>
   </mediapro:CatalogSets>
   <lr:hierarchicalSubject>
    <rdf:Bag>
     <rdf:li>Family|Grandma</rdf:li>
    </rdf:Bag>
   </lr:hierarchicalSubject>
   <dc:subject>
    <rdf:Bag>
     <rdf:li>Grandma</rdf:li>
    </rdf:Bag>
   </dc:subject>
   <dc:description>
    <rdf:Alt>
     <rdf:li xml:lang="x-default">Großmutters Garten – 庭</rdf:li>
     <rdf:li xml:lang="de-DE">Großmutters Garten</rdf:li>
    </rdf:Alt>
   </dc:description>
   <mystery:Points>
    <rdf:Seq>
     <rdf:li mystery:x="1" mystery:y="2"/>
    </rdf:Seq>
   </mystery:Points>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>
'@
}

AfterAll {
    $env:MEDIATAGGER_HOME = $script:savedHome
    Remove-TestFolder $script:userHome
    Remove-TestFolder $script:fixtures
}

Describe 'Set-MediaXmpTag' {
    BeforeEach { $dir = New-TestFolder 'tags' }
    AfterEach { Remove-TestFolder $dir }

    It 'writes tags that exiftool reads back from lr, digiKam and dc, in a valid sidecar without a BOM' {
        $photo = New-Photo "$dir/IMG_1234.JPG"
        Set-MediaXmpTag -Path $photo -Tag 'Dogs|Teddy', 'Orte|Zürich Straße'

        $sidecar = "$dir/IMG_1234.xmp"
        Test-Path $sidecar | Should -BeTrue
        Get-TagValues $sidecar 'XMP-lr:HierarchicalSubject' | Should -Be @('Dogs|Teddy', 'Orte|Zürich Straße')
        Get-TagValues $sidecar 'XMP-digiKam:TagsList' | Should -Be @('Dogs/Teddy', 'Orte/Zürich Straße')
        Get-TagValues $sidecar 'XMP-dc:Subject' | Should -Be @('Dogs', 'Teddy', 'Orte', 'Zürich Straße')

        $bytes = [IO.File]::ReadAllBytes($sidecar)
        $bytes[0..2] | Should -Not -Be @(0xEF, 0xBB, 0xBF)
        $text = [Text.Encoding]::UTF8.GetString($bytes)
        $text | Should -Match '^<\?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"\?>'
        $text | Should -Match '<\?xpacket end="w"\?>$'
        (& exiftool -validate -warning -a $sidecar) -join "`n" | Should -Match 'Validate\s+: OK'
        Get-ChildItem $dir -Force -Filter '*.tmp' | Should -BeNullOrEmpty
    }

    It 'keeps every foreign property of a <Name> sidecar' -ForEach @(
        @{ Name = 'Lightroom'; Variable = 'lightroomSidecar' }
        @{ Name = 'darktable'; Variable = 'darktableSidecar' }
        @{ Name = 'digiKam'; Variable = 'digiKamSidecar' }
        @{ Name = 'exiftool'; Variable = $null }
    ) {
        $photo = New-Photo "$dir/IMG_1.JPG" @('-DateTimeOriginal=2019:07:04 10:00:00', '-Make=Canon', '-Model=Canon EOS 5D', '-GPSLatitude=47.37', '-GPSLatitudeRef=N')
        $sidecar = "$dir/IMG_1.xmp"
        if ($Variable) { Write-Utf8 $sidecar (Get-Variable $Variable -Scope Script -ValueOnly) }
        else {
            # exiftool's own sidecar: one rdf:Description per namespace, EXIF copied from the photo, single quotes.
            & exiftool -q -o $sidecar '-XMP-dc:Title=Größe ✓' '-XMP-xmp:Rating=2' '-XMP-lr:HierarchicalSubject=Trips|Alps' $photo
        }
        $before = Get-ExifJson $sidecar
        $inputWarnings = @(& exiftool -validate -warning -a -s3 $sidecar | Select-Object -Skip 1)

        Set-MediaXmpTag -Path $photo -Tag 'Pets|Teddy', 'Places|Küste'

        $after = Get-ExifJson $sidecar
        Assert-ForeignPropertiesKept $before $after
        Get-TagValues $sidecar 'XMP-lr:HierarchicalSubject' | Should -Contain 'Pets|Teddy'
        Get-TagValues $sidecar 'XMP-digiKam:TagsList' | Should -Contain 'Places/Küste'
        Get-TagValues $sidecar 'XMP-dc:Subject' | Should -Contain 'Küste'
        # No new warning: what exiftool says about our output it already said about the input (digiKam's MicrosoftPhoto URI).
        @(& exiftool -validate -warning -a -s3 $sidecar | Select-Object -Skip 1) | Should -Be $inputWarnings
        [IO.File]::ReadAllBytes($sidecar)[0] | Should -Be ([byte][char]'<')
    }

    It 'updates MicrosoftPhoto:LastKeywordXMP and mediapro:CatalogSets when the sidecar has them' {
        $photo = New-Photo "$dir/IMG_1.JPG"
        Write-Utf8 "$dir/IMG_1.xmp" $digiKamSidecar
        Set-MediaXmpTag -Path $photo -Tag 'Pets|Teddy'
        Get-TagValues "$dir/IMG_1.xmp" 'XMP-microsoft:LastKeywordXMP' | Should -Be @('Family/Grandma', 'Pets/Teddy')
        Get-TagValues "$dir/IMG_1.xmp" 'XMP-mediapro:CatalogSets' | Should -Be @('Family|Grandma', 'Pets|Teddy')

        # Windows and exiftool spell the MicrosoftPhoto namespace without the final '/'.
        $other = New-Photo "$dir/IMG_2.JPG"
        Write-Utf8 "$dir/IMG_2.xmp" ($digiKamSidecar -replace 'photo/1.0/"', 'photo/1.0"')
        Set-MediaXmpTag -Path $other -Tag 'Pets|Teddy'
        Get-TagValues "$dir/IMG_2.xmp" 'XMP-microsoft:LastKeywordXMP' | Should -Be @('Family/Grandma', 'Pets/Teddy')
        (& exiftool -validate -warning -a "$dir/IMG_2.xmp") -join "`n" | Should -Match 'Validate\s+: OK'
    }

    It 'is idempotent: a second run changes no byte and journals nothing' {
        Get-MediaAsset -Path $dir | Out-Null   # make $dir a library, so the journal is its store's
        $photo = New-Photo "$dir/a.jpg"
        Set-MediaXmpTag -Path $photo -Tag 'Dogs|Teddy'
        $hash = (Get-FileHash "$dir/a.xmp").Hash
        $journal = "$dir/.mediatagger/data/tag-journal.jsonl"
        # One write: its journal line (written first) and its outcome.
        @(Get-Content $journal).Count | Should -Be 2

        Set-MediaXmpTag -Path $photo -Tag 'Dogs|Teddy' -InformationVariable info
        (Get-FileHash "$dir/a.xmp").Hash | Should -Be $hash
        @(Get-Content $journal).Count | Should -Be 2
        "$info" | Should -Match '0 sidecars written, 1 already up to date'
        Get-TagValues "$dir/a.xmp" 'XMP-lr:HierarchicalSubject' | Should -Be @('Dogs|Teddy')
    }

    It 'merges tags of a RAW+JPEG pair into one IMG_1.xmp, never overwriting' {
        $jpg = New-Photo "$dir/IMG_1.JPG"
        $raw = New-Photo "$dir/IMG_1.CR2"
        Set-MediaXmpTag -Path $jpg -Tag 'Dogs|Teddy'
        Set-MediaXmpTag -Path $raw -Tag 'Places|Beach'
        Set-MediaXmpTag -Path $jpg, $raw -Tag 'Events|Party' -PassThru | ForEach-Object Sidecar | Should -Be @("$dir/IMG_1.xmp", "$dir/IMG_1.xmp")
        @(Get-ChildItem $dir -Filter '*.xmp').Name | Should -Be 'IMG_1.xmp'
        Get-TagValues "$dir/IMG_1.xmp" 'XMP-lr:HierarchicalSubject' | Should -Be @('Dogs|Teddy', 'Places|Beach', 'Events|Party')
    }

    It 'updates an existing sidecar of the other naming instead of creating a second' {
        $a = New-Photo "$dir/A.JPG"
        Write-Utf8 "$dir/A.JPG.xmp" $darktableSidecar
        Set-MediaXmpTag -Path $a -Tag 'Dogs|Teddy'
        Test-Path "$dir/A.xmp" | Should -BeFalse
        Get-TagValues "$dir/A.JPG.xmp" 'XMP-lr:HierarchicalSubject' | Should -Contain 'Dogs|Teddy'

        $b = New-Photo "$dir/B.JPG"
        Write-Utf8 "$dir/B.xmp" $lightroomSidecar
        Set-MediaXmpTag -Path $b -Tag 'Dogs|Rex' -SidecarNaming FullName
        Test-Path "$dir/B.JPG.xmp" | Should -BeFalse
        Get-TagValues "$dir/B.xmp" 'XMP-lr:HierarchicalSubject' | Should -Contain 'Dogs|Rex'

        $c = New-Photo "$dir/C.JPG"
        Set-MediaXmpTag -Path $c -Tag 'Dogs|Rex' -SidecarNaming FullName
        Test-Path "$dir/C.JPG.xmp" | Should -BeTrue
        Test-Path "$dir/C.xmp" | Should -BeFalse
    }

    It 'rejects "|" and "/" inside a level and writes nothing' {
        $photo = New-Photo "$dir/a.jpg"
        { Set-MediaXmpTag -Path $photo -Tag 'Dogs|Te/ddy' -ErrorAction Stop } | Should -Throw -ErrorId 'MediaXmpTagInvalid,*'
        { Set-MediaXmpTag -Path $photo -Tag 'Dogs||Teddy' -ErrorAction Stop } | Should -Throw -ErrorId 'MediaXmpTagInvalid,*'
        { Set-MediaXmpTag -Path $photo -Profile pets -Label 'Teddy|Rex' -ErrorAction Stop } | Should -Throw -ErrorId 'MediaXmpTagInvalid,*'
        { Set-MediaXmpTag -Path $photo -Profile pets -Label 'AC/DC' -ErrorAction Stop } | Should -Throw -ErrorId 'MediaXmpTagInvalid,*'
        Get-ChildItem $dir -Filter '*.xmp' | Should -BeNullOrEmpty
    }

    It 'writes nothing with -WhatIf, not even the journal' {
        Get-MediaAsset -Path $dir | Out-Null
        $photo = New-Photo "$dir/a.jpg"
        Write-Utf8 "$dir/b.xmp" $lightroomSidecar
        $b = New-Photo "$dir/b.jpg"
        $hash = (Get-FileHash "$dir/b.xmp").Hash
        $listing = (Get-ChildItem $dir -Recurse -Force).FullName

        Set-MediaXmpTag -Path $photo, $b -Tag 'Dogs|Teddy' -WhatIf

        (Get-ChildItem $dir -Recurse -Force).FullName | Should -Be $listing
        (Get-FileHash "$dir/b.xmp").Hash | Should -Be $hash
    }

    It 'reports a sidecar that does not parse, leaves it untouched and tags the rest' {
        $bad = New-Photo "$dir/bad.jpg"
        $good = New-Photo "$dir/good.jpg"
        $empty = New-Photo "$dir/empty.jpg"
        Write-Utf8 "$dir/bad.xmp" '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description'
        New-Item "$dir/empty.xmp" -ItemType File | Out-Null
        $hash = (Get-FileHash "$dir/bad.xmp").Hash

        Set-MediaXmpTag -Path $bad, $good, $empty -Tag 'Dogs|Teddy' -ErrorVariable errs -ErrorAction SilentlyContinue

        Get-ErrorIds $errs | Should -Be @('MediaXmpSidecarUnreadable', 'MediaXmpSidecarUnreadable')
        ($errs | ForEach-Object TargetObject) | Should -Be @("$dir/bad.xmp", "$dir/empty.xmp")
        (Get-FileHash "$dir/bad.xmp").Hash | Should -Be $hash
        (Get-Item "$dir/empty.xmp").Length | Should -Be 0
        Get-TagValues "$dir/good.xmp" 'XMP-lr:HierarchicalSubject' | Should -Be 'Dogs|Teddy'
    }

    It 'reports a missing file, and skips a sidecar given without its media file' {
        Set-MediaXmpTag -Path "$dir/nope.jpg", "$dir/x.xmp" -Tag 'A|B' -ErrorVariable errs -ErrorAction SilentlyContinue
        New-Item "$dir/x.xmp" -ItemType File | Out-Null
        Set-MediaXmpTag -Path "$dir/x.xmp" -Tag 'A|B' -ErrorVariable errs2 -WarningVariable warnings
        Get-ErrorIds $errs | Should -Be @('MediaXmpFileNotFound', 'MediaXmpFileNotFound')
        $errs2 | Should -BeNullOrEmpty
        "$warnings" | Should -BeLike '*1 sidecar*skipped*'
        (Get-Item "$dir/x.xmp").Length | Should -Be 0
    }

    It 'takes MediaAsset objects, skips matches rejected in review, and journals in the library store' {
        New-Photo "$dir/lib/a.jpg" | Out-Null
        New-Photo "$dir/lib/b.jpg" | Out-Null
        New-Photo "$dir/lib/c.jpg" | Out-Null
        $assets = Get-MediaAsset -Path "$dir/lib" | Sort-Object RelativePath
        # What Invoke-MediaReview -IncludeRejected emits: a copy of each match with the decision.
        $found = @(
            [MediaTagger.Core.Review.ReviewedMatch]::new([MediaTagger.Core.Search.MediaMatch]::new($assets[0]), $true)
            [MediaTagger.Core.Review.ReviewedMatch]::new([MediaTagger.Core.Search.MediaMatch]::new($assets[1]), $false)
            [MediaTagger.Core.Search.MediaMatch]::new($assets[2])
        )

        $out = $found | Set-MediaXmpTag -Profile pets -Label Teddy -NoAutoTag -PassThru

        $out.Path | Should -Be @("$dir/lib/a.jpg", "$dir/lib/c.jpg")
        Test-Path "$dir/lib/b.xmp" | Should -BeFalse
        $entries = Get-Content "$dir/lib/.mediatagger/data/tag-journal.jsonl" | ConvertFrom-Json | Where-Object sidecar | Sort-Object file
        $entries.file | Should -Be @("$dir/lib/a.jpg", "$dir/lib/c.jpg")
        $entries[0].added | Should -Be 'Pets|Teddy'
        $entries[0].hashBefore | Should -BeNullOrEmpty
        $entries[0].hashAfter | Should -Be (Get-FileHash "$dir/lib/a.xmp" -Algorithm SHA256).Hash.ToLowerInvariant()
        [datetime]$entries[0].time | Should -BeGreaterThan (Get-Date).AddMinutes(-5)
    }

    It 'tags Get-ChildItem items and plain paths outside any library, journaling them per user' {
        $photo = New-Photo "$dir/loose/p.jpg"
        Get-ChildItem "$dir/loose" | Set-MediaXmpTag -Tag 'Misc|Loose'
        Get-TagValues "$dir/loose/p.xmp" 'XMP-lr:HierarchicalSubject' | Should -Be 'Misc|Loose'
        $journal = Join-Path $env:MEDIATAGGER_HOME 'tag-journal.jsonl'
        (Get-Content $journal | ConvertFrom-Json | Where-Object file -EQ $photo).added | Should -Be 'Misc|Loose'
    }
}

Describe 'Set-MediaXmpTag interrupted' {
    BeforeAll { $dir = New-TestFolder 'kill' }
    AfterAll { Remove-TestFolder $dir }

    It 'leaves every sidecar readable and the run resumable when the process is killed mid-batch' {
        $bytes = [IO.File]::ReadAllBytes($script:jpeg)
        foreach ($i in 1..3000) { [IO.File]::WriteAllBytes("$dir/IMG_$i.JPG", $bytes) }
        Get-MediaAsset -Path $dir | Out-Null
        $p = Start-ModuleProcess -Script "Get-MediaAsset -Library '$dir' -Cached | Set-MediaXmpTag -Tag 'Dogs|Teddy' -AutoTag year"
        try {
            # Kill it as soon as it has started writing (if it finishes first, the checks below still hold).
            $deadline = [DateTime]::UtcNow.AddSeconds(60)
            while (-not $p.HasExited -and [DateTime]::UtcNow -lt $deadline -and -not (Get-ChildItem $dir -Filter '*.xmp' | Select-Object -First 1)) { Start-Sleep -Milliseconds 20 }
        }
        finally { Stop-ProcessTree $p }

        $tags = Get-ChildItem $dir -Filter '*.JPG' | Get-MediaXmpTag -SidecarOnly -ErrorVariable errs
        $errs | Should -BeNullOrEmpty
        $tagged = @($tags | Where-Object Sidecar)
        foreach ($t in $tagged) { $t.Tags | Should -Contain 'Dogs|Teddy' }
        # Every journal line that parses names a sidecar that exists; undo can read the journal.
        Undo-MediaXmpTag -Library $dir -Last 1 -WhatIf -ErrorVariable undoErrs
        @($undoErrs | Where-Object { $_.FullyQualifiedErrorId -notlike 'MediaXmpJournalUnreadable*' }) | Should -BeNullOrEmpty

        Get-MediaAsset -Library $dir -Cached | Set-MediaXmpTag -Tag 'Dogs|Teddy' -AutoTag year
        @(Get-ChildItem $dir -Filter '*.xmp').Count | Should -Be 3000
    }
}

Describe 'Automatic tags' {
    BeforeEach { $dir = New-TestFolder 'auto' }
    AfterEach { Remove-TestFolder $dir }

    It 'takes year, month, camera and place from EXIF set by exiftool' {
        $nikon = New-Photo "$dir/nikon.jpg" @('-DateTimeOriginal=2019:07:04 10:00:00', '-Make=NIKON CORPORATION', '-Model=NIKON D750',
            '-GPSLatitude=48.8566', '-GPSLatitudeRef=N', '-GPSLongitude=2.3522', '-GPSLongitudeRef=E')
        $canon = New-Photo "$dir/canon.jpg" @('-CreateDate=2017:12:31 23:59:00', '-Make=Canon', '-Model=Canon EOS 5D', '-IPTC:City=Köln', '-IPTC:Country-PrimaryLocationName=Deutschland')
        $fuji = New-Photo "$dir/fuji.jpg" @('-DateTimeOriginal=2023:02:01 08:00:00', '-Make=FUJIFILM', '-Model=X-T3')
        $plain = New-Photo "$dir/plain.jpg"
        (Get-Item $plain).LastWriteTime = [datetime]'2015-05-06 12:00'

        $out = Set-MediaXmpTag -Path $nikon, $canon, $fuji, $plain -AutoTag year, month, camera, place -DateFromFileTime -PassThru -WarningAction SilentlyContinue

        ($out | Where-Object Path -EQ $nikon).Tags | Should -Be @('Year|2019', 'Month|2019-07', 'Camera|NIKON D750', 'Place|GPS|48.86N 2.35E')
        ($out | Where-Object Path -EQ $canon).Tags | Should -Be @('Year|2017', 'Month|2017-12', 'Camera|Canon EOS 5D', 'Place|Deutschland|Köln')
        ($out | Where-Object Path -EQ $fuji).Tags | Should -Be @('Year|2023', 'Month|2023-02', 'Camera|FUJIFILM X-T3')
        ($out | Where-Object Path -EQ $plain).Tags | Should -Be @('Year|2015', 'Month|2015-05')
        Get-TagValues "$dir/nikon.xmp" 'XMP-lr:HierarchicalSubject' | Should -Contain 'Camera|NIKON D750'
    }

    It 'writes the profile tag plus the profile''s automatic tags with -Profile -Label' {
        $photo = New-Photo "$dir/t.jpg" @('-DateTimeOriginal=2020:08:09 10:00:00', '-Make=Canon', '-Model=Canon EOS R5')
        Set-MediaXmpTag -Path $photo -Profile pets -Label Teddy
        Get-TagValues "$dir/t.xmp" 'XMP-lr:HierarchicalSubject' | Should -Be @('Pets|Teddy', 'Year|2020', 'Camera|Canon EOS R5')
    }

    It 'takes a video''s year from its QuickTime creation time, converted from UTC to local time' {
        $video = "$dir/clip.mp4"
        & ffmpeg -v error -f lavfi -i 'color=c=blue:s=32x32:d=0.2' -metadata 'creation_time=2020-01-01T02:00:00Z' -y $video
        Test-Path $video | Should -BeTrue
        $script = "Set-MediaXmpTag -Path '$video' -AutoTag year, month -PassThru | ForEach-Object { `$_.Tags -join ';' }"
        $savedTz = $env:TZ
        try {
            $results = foreach ($tz in 'America/New_York', 'Europe/Berlin') {
                Remove-Item "$dir/clip.xmp" -ErrorAction Ignore
                $env:TZ = $tz
                $p = Start-ModuleProcess -Script $script
                $stdout = $p.StandardOutput.ReadToEnd()
                $p.WaitForExit()
                $stdout.Trim()
            }
        }
        finally { $env:TZ = $savedTz }
        $results | Should -Be @('Year|2019;Month|2019-12', 'Year|2020;Month|2020-01')
    }
}

Describe 'Get-MediaXmpTag and Remove-MediaXmpTag' {
    BeforeEach { $dir = New-TestFolder 'getrm' }
    AfterEach { Remove-TestFolder $dir }

    It 'reads sidecars of either naming and the XMP embedded in the file' {
        $a = New-Photo "$dir/a.jpg" @('-XMP-lr:HierarchicalSubject=Embedded|Tag')
        Write-Utf8 "$dir/a.jpg.xmp" $darktableSidecar
        Write-Utf8 "$dir/a.xmp" $digiKamSidecar
        $info = Get-MediaXmpTag -Path $a
        $info.Sidecar | Should -Be "$dir/a.xmp"
        $info.SidecarTags | Should -Be @('Family|Grandma', 'darktable|format|jpg')
        $info.EmbeddedTags | Should -Be 'Embedded|Tag'
        $info.Tags | Should -Be @('Family|Grandma', 'darktable|format|jpg', 'Embedded|Tag')
        (Get-MediaXmpTag -Path $a -SidecarOnly).EmbeddedTags | Should -BeNullOrEmpty
        (Get-Item $a | Get-MediaXmpTag).Tags.Count | Should -Be 3
    }

    It 'removes exactly the given tags from every property, keeping levels still in use' {
        $photo = New-Photo "$dir/IMG_1.JPG"
        Write-Utf8 "$dir/IMG_1.xmp" $digiKamSidecar
        Set-MediaXmpTag -Path $photo -Tag 'Dogs|Teddy', 'Dogs|Rex'
        $before = Get-ExifJson "$dir/IMG_1.xmp"

        $out = Remove-MediaXmpTag -Path $photo -Tag 'Dogs|Teddy', 'Family|Grandma' -PassThru

        $out.Removed | Should -Be @('Family|Grandma', 'Dogs|Teddy')
        $x = "$dir/IMG_1.xmp"
        Get-TagValues $x 'XMP-lr:HierarchicalSubject' | Should -Be 'Dogs|Rex'
        Get-TagValues $x 'XMP-digiKam:TagsList' | Should -Be 'Dogs/Rex'
        Get-TagValues $x 'XMP-dc:Subject' | Should -Be @('Dogs', 'Rex')
        Get-TagValues $x 'XMP-microsoft:LastKeywordXMP' | Should -Be 'Dogs/Rex'
        Get-TagValues $x 'XMP-mediapro:CatalogSets' | Should -Be 'Dogs|Rex'
        $after = Get-ExifJson $x
        foreach ($key in $before.Keys | Where-Object { $_ -notin $tagProperties }) { $after[$key] | Should -Be $before[$key] }
    }
}

Describe 'Undo-MediaXmpTag' {
    BeforeEach {
        $dir = New-TestFolder 'undo'
        Get-MediaAsset -Path $dir | Out-Null
    }
    AfterEach { Remove-TestFolder $dir }

    It 'reverses the last run: restores merged sidecars and deletes created ones' {
        $a = New-Photo "$dir/a.jpg"
        $b = New-Photo "$dir/b.jpg"
        Write-Utf8 "$dir/a.xmp" $lightroomSidecar
        $before = Get-ExifJson "$dir/a.xmp"
        Set-MediaXmpTag -Path $a, $b -Tag 'Dogs|Teddy', 'Holiday'

        Undo-MediaXmpTag -WhatIf
        Test-Path "$dir/b.xmp" | Should -BeTrue

        $undone = Undo-MediaXmpTag -PassThru
        $undone.Count | Should -Be 2
        $undone.Operation | Select-Object -Unique | Should -Be 'Undo'
        Test-Path "$dir/b.xmp" | Should -BeFalse
        $after = Get-ExifJson "$dir/a.xmp"
        $after.Keys | Sort-Object | Should -Be ($before.Keys | Sort-Object)
        foreach ($key in $before.Keys) { $after[$key] | Should -Be $before[$key] }
        # The dc:subject keyword "Holiday" was there before and stays.
        Get-TagValues "$dir/a.xmp" 'XMP-dc:Subject' | Should -Be @('Holiday', 'Trips')

        # Already undone: nothing more to do.
        Undo-MediaXmpTag -PassThru | Should -BeNullOrEmpty
    }

    It 'undoes -Last n writes in order, through several writes to the same sidecar' {
        $a = New-Photo "$dir/a.jpg"
        Set-MediaXmpTag -Path $a -Tag 'One'
        Set-MediaXmpTag -Path $a -Tag 'Two'
        Remove-MediaXmpTag -Path $a -Tag 'One'
        Undo-MediaXmpTag -Library $dir -Last 2
        Get-TagValues "$dir/a.xmp" 'XMP-lr:HierarchicalSubject' | Should -Be 'One'
        Undo-MediaXmpTag -Library $dir -Since (Get-Date).AddMinutes(-10)
        Test-Path "$dir/a.xmp" | Should -BeFalse
    }

    It 'refuses to undo a write when someone changed the sidecar since, and leaves it alone' {
        $a = New-Photo "$dir/a.jpg"
        Set-MediaXmpTag -Path $a -Tag 'Dogs|Teddy'
        & exiftool -q -overwrite_original '-XMP-xmp:Rating=5' "$dir/a.xmp"
        $hash = (Get-FileHash "$dir/a.xmp").Hash

        Undo-MediaXmpTag -ErrorVariable errs -ErrorAction SilentlyContinue

        Get-ErrorIds $errs | Should -Be 'MediaXmpUndoConflict'
        $errs[0].TargetObject | Should -Be "$dir/a.xmp"
        (Get-FileHash "$dir/a.xmp").Hash | Should -Be $hash
    }
}

Describe 'Profiles' {
    BeforeEach {
        $userProfiles = Join-Path $env:MEDIATAGGER_HOME 'profiles'
        New-Item -ItemType Directory -Force $userProfiles | Out-Null
    }
    # Guarded: with an empty variable the pattern would be "/*".
    AfterEach { if ($userProfiles) { Remove-Item (Join-Path $userProfiles '*.json') -Force -ErrorAction Ignore } }

    It 'lists the shipped profiles with their fields' {
        $profiles = Get-MediaTaggerProfile
        $profiles.Name | Should -Be @('events', 'objects', 'people', 'pets', 'places')
        $pets = Get-MediaTaggerProfile pets
        $pets.TagTemplate | Should -Be 'Pets|{label}'
        $pets.BuiltIn | Should -BeTrue
        $pets.QueryDefaults.Image.K | Should -BeGreaterThan 0
        $pets.QueryDefaults.Text.MinScore | Should -BeGreaterThan 0
        $pets.PromptTemplates | Should -Contain 'a photo of {label}'
        $pets.AutoTags | Should -Be @('year', 'camera')
        $pets.SidecarNaming | Should -Be 'Basename'
        (Get-MediaTaggerProfile 'p*').Name | Should -Be @('people', 'pets', 'places')
        { Get-MediaTaggerProfile nope -ErrorAction Stop } | Should -Throw -ErrorId 'MediaProfileNotFound,*'
    }

    It 'adds user profiles, reports invalid ones, and uses their naming and keyword levels' {
        @{ tagTemplate = 'Horses|{label}'; autoTags = @(); sidecarNaming = 'FullName'; subjectLevels = 'Leaf'
            queryDefaults = @{ image = @{ k = 10; minScore = 0.3 }; text = @{ k = 10; minScore = 0.2 } } } |
            ConvertTo-Json -Depth 5 | Set-Content "$userProfiles/horses.json"
        '{ "tagTemplate": "no label here" }' | Set-Content "$userProfiles/broken.json"

        $all = Get-MediaTaggerProfile -ErrorVariable errs -ErrorAction SilentlyContinue
        $all.Name | Should -Contain 'horses'
        ($all | Where-Object Name -EQ 'horses').BuiltIn | Should -BeFalse
        Get-ErrorIds $errs | Should -Be 'MediaProfileInvalid'

        $dir = New-TestFolder 'prof'
        try {
            $photo = New-Photo "$dir/h.jpg"
            Set-MediaXmpTag -Path $photo -Profile horses -Label Star
            Get-TagValues "$dir/h.jpg.xmp" 'XMP-lr:HierarchicalSubject' | Should -Be 'Horses|Star'
            Get-TagValues "$dir/h.jpg.xmp" 'XMP-dc:Subject' | Should -Be 'Star'
        }
        finally { Remove-TestFolder $dir }
    }

    It 'completes profile names on -Profile parameters' {
        '{ "tagTemplate": "Horses|{label}" }' | Set-Content "$userProfiles/horses.json"
        foreach ($command in 'Set-MediaXmpTag -Profile p', 'Remove-MediaXmpTag -Profile p') {
            $completion = TabExpansion2 -inputScript $command -cursorColumn $command.Length
            $completion.CompletionMatches.CompletionText | Should -Be @('people', 'pets', 'places')
        }
        $h = 'Get-MediaTaggerProfile h'
        (TabExpansion2 -inputScript $h -cursorColumn $h.Length).CompletionMatches.CompletionText | Should -Be 'horses'
    }
}
