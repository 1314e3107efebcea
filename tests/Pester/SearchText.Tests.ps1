# Text search end to end with the tiny CLIP-shaped model the embedding tests generate (real ONNX Runtime, real tokenizer):
# its image tower maps colours and its text tower maps colour words onto the same axes, as a real CLIP model would.
BeforeAll {
    Import-Module $env:MEDIATAGGER_MODULE -Force
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Add-Type -Path (Join-Path $env:MEDIATAGGER_MODULE 'Magick.NET-Q8-AnyCPU.dll') -ErrorAction SilentlyContinue
    if (-not ('MediaTagger.TestSupport.TinyClip' -as [type])) {
        Add-Type -Path (Join-Path $env:MEDIATAGGER_REPO 'tests/MediaTagger.Core.Tests/Embeddings/TinyClip.cs')
    }

    $savedHome = $env:MEDIATAGGER_HOME
    $env:MEDIATAGGER_HOME = New-TestFolder 'home'
    $source = [MediaTagger.TestSupport.TinyClip]::WriteHuggingFace((Join-Path (New-TestFolder 'tinyclip') 'export'), $false, $false, $true)
    Install-MediaTaggerModel -Path $source -Name tinyclip | Out-Null

    $lib = New-TestFolder
    $colours = [ordered]@{ red = '#e01818'; darkred = '#901010'; green = '#18c818'; blue = '#1818e0'; grey = '#808080' }
    New-Item -ItemType Directory "$lib/colours" | Out-Null
    foreach ($name in $colours.Keys) {
        $img = [ImageMagick.MagickImage]::new([ImageMagick.MagickColor]::new($colours[$name]), 96, 64)
        $img.Write("$lib/colours/$name.jpg"); $img.Dispose()
    }
    Copy-Item (Get-TestPhoto -Count 2) "$lib/colours/"
    Get-MediaAsset -Path $lib | New-MediaRep | Add-MediaEmbedding -Model tinyclip | Out-Null
}
AfterAll {
    Remove-TestFolder $lib
    Remove-TestFolder $env:MEDIATAGGER_HOME
    Remove-TestFolder (Split-Path $source)
    $env:MEDIATAGGER_HOME = $savedHome
}

Describe 'Find-MediaByText with a CLIP-shaped model' {
    It 'finds the colour images a colour prompt describes, best first' {
        $red = Find-MediaByText -Library $lib -Model tinyclip -Text 'red' -MinScore -1
        $red[0..1].Name | Sort-Object | Should -Be @('darkred.jpg', 'red.jpg')
        $red[0].BestPrompt | Should -Be 'red'
        $red[0].BestAnchor | Should -BeNullOrEmpty
        $red[0].Model | Should -Be 'tinyclip'
        (Find-MediaByText -Library $lib -Model tinyclip -Text 'a photo of something green' -MinScore -1)[0].Name | Should -Be 'green.jpg'
        (Find-MediaByText -Library $lib -Model tinyclip -Text 'BLUE' -K 1 -MinScore -1).Name | Should -Be 'blue.jpg'
    }

    It 'takes the best of several prompts and names the one that won' {
        $m = Find-MediaByText -Library $lib -Model tinyclip -Text 'green', 'blue' -MinScore -1 -K 2
        $m.Name | Sort-Object | Should -Be @('blue.jpg', 'green.jpg')
        ($m | Where-Object Name -EQ 'green.jpg').BestPrompt | Should -Be 'green'
        ($m | Where-Object Name -EQ 'blue.jpg').BestPrompt | Should -Be 'blue'
    }

    It 'drops exactly the items closer to a negative prompt than to the prompt' {
        $pos = @{}; Find-MediaByText -Library $lib -Model tinyclip -Text 'red' -MinScore -1 | ForEach-Object { $pos[$_.Id] = $_.Score }
        $neg = @{}; Find-MediaByText -Library $lib -Model tinyclip -Text 'green' -MinScore -1 | ForEach-Object { $neg[$_.Id] = $_.Score }
        $m = Find-MediaByText -Library $lib -Model tinyclip -Text 'red' -NegativeText 'green' -MinScore -1
        ($m.Id | Sort-Object) | Should -Be ($pos.Keys | Where-Object { $neg[$_] -le $pos[$_] } | Sort-Object)
        $m.Name | Should -Contain 'red.jpg'
        $m.Name | Should -Not -Contain 'green.jpg'
        foreach ($r in $m) { $r.Margin | Should -BeGreaterOrEqual 0 }
    }

    It 'builds prompts from the profile''s templates and takes K and MinScore from its text defaults' {
        $m = Find-MediaByText -Library $lib -Model tinyclip -Label red -Profile objects
        $m[0].Name | Should -BeIn @('red.jpg', 'darkred.jpg')
        $m[0].BestPrompt | Should -BeIn @('a photo of a red', 'a close-up photo of a red')
        $q = Get-Content "$lib/.mediatagger/data/last_query.json" -Raw | ConvertFrom-Json
        $q.kind | Should -Be 'text'
        $q.text | Should -Be @('a photo of a red', 'a close-up photo of a red')
        $q.k | Should -Be 2000
        $q.minScore | Should -Be 0.22
        $q.profile | Should -Be 'objects'
        ($m | Where-Object Score -LT 0.22) | Should -BeNullOrEmpty
        $q.results.id | Should -Be $m.Id
    }

    It 'picks the CLIP model by default when the library has several stores, and refuses text with the image-only one' {
        Get-MediaAsset -Library $lib -Cached | Add-MediaEmbedding -Model resnet18 | Out-Null
        (Find-MediaByText -Library $lib -Text 'blue' -MinScore -1)[0] | ForEach-Object { $_.Name; $_.Model } | Should -Be @('blue.jpg', 'tinyclip')
        { Find-MediaByText -Library $lib -Model resnet18 -Text 'blue' } | Should -Throw -ErrorId 'MediaModelHasNoTextTower*'
        # Image search on the same library with each model.
        (Find-SimilarMedia -Library $lib -Model resnet18 -Anchor "$lib/colours/blue.jpg" -K 1).Name | Should -Be 'blue.jpg'
        (Find-SimilarMedia -Library $lib -Model tinyclip -Anchor "$lib/colours/red.jpg" -K 2 -MinScore -1).Name | Sort-Object | Should -Be @('darkred.jpg', 'red.jpg')
    }
}
