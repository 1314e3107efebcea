#requires -Version 7.4
<#
.SYNOPSIS
    Benchmarks one search query over random 512-d stores of 100k, 1M and 10M vectors.
.DESCRIPTION
    For 100k and 1M: the warm query through Find-SimilarMedia (anchor already in the store, so no embedding) beside a
    plain single-thread scalar scan of the same vectors; the scan alone (int8 first pass + float32 re-score) beside the
    exact float32 scan and beside the float32 memory-bandwidth bound (store bytes / copy bandwidth measured in this
    run); the query beside its own scan (the per-query overhead); the query with the anchor embedded on the fly (a
    photo outside the library) when a model is available; and the memory the resident store takes (anonymous memory,
    and the mapped float32 rows the page cache holds). Every query's top 100 is checked against the exact float32 scan.
    With -Rows 10000000, then 10M through the core API (a 10M-asset catalog is not part of this figure): the store is
    generated through the store's own writer (20 GB of data plus 1 GB of index; the bench refuses to start without the
    disk), then a fresh pwsh loads it (float32 rows mapped, int8 copy built) and prints load time, query time (every
    query checked against the exact float32 scan) and that process's memory. -KeepStore <folder> keeps the 10M store
    there and reuses it on the next run. Then Import-Module + first query on the 100k store in a fresh pwsh. Stores are
    written in the documented on-disk layout and deleted afterwards. -MinRows 10000000 runs only the 10M store.
#>
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../output/MediaTagger'),
    # The largest store: 1000000 by default (a routine run takes minutes); 10000000 adds the 10M store (tens of minutes, 23 GB of disk).
    [ValidateSet(100000, 1000000, 10000000)] [int] $Rows = 1000000,
    [int] $MinRows = 0,
    # Where the 10M store is generated and kept (reused when it is complete); by default a temp folder deleted afterwards.
    [string] $KeepStore,
    # Internal: the 10M measurement, run in a fresh pwsh on the library at this path.
    [string] $Measure, [double] $Bandwidth, [string] $Model, [string] $ModelId
)
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath -Force
$ModulePath = (Get-Module MediaTagger).ModuleBase

Add-Type -ReferencedAssemblies (Join-Path $ModulePath 'MediaTagger.Core.dll'), 'System.Collections', 'System.Collections.Concurrent', 'System.Linq', 'System.Runtime', 'System.Runtime.InteropServices', 'System.Threading', 'System.Threading.Tasks.Parallel', 'System.Memory', 'System.Console', 'System.Diagnostics.Process', 'System.ComponentModel.Primitives', 'System.Security.Cryptography', 'System.Text.Encoding.Extensions' -IgnoreWarnings -WarningAction Ignore -TypeDefinition @'
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

public static class SearchBench
{
    // Writes assets.json and a store of `count` random unit vectors (dim 512) in the documented layout.
    public static string[] CreateLibrary(string root, int count, int dim, string model, string modelId)
    {
        var data = Path.Combine(root, ".mediatagger", "data");
        var folder = Path.Combine(data, "embeddings", model);
        Directory.CreateDirectory(folder);
        var ids = new string[count];
        using (var w = new StreamWriter(Path.Combine(data, "assets.json"), false, new UTF8Encoding(false), 1 << 20))
        {
            w.Write('[');
            for (var i = 0; i < count; i++)
            {
                var rel = "photos/" + (i / 1000).ToString("D4") + "/IMG_" + i.ToString("D7") + ".jpg";
                ids[i] = Convert.ToHexString(SHA1.HashData(Encoding.UTF8.GetBytes(rel))).ToLowerInvariant();
                if (i > 0) w.Write(',');
                w.Write("{\"id\":\"" + ids[i] + "\",\"absolutePath\":\"" + root + "/" + rel + "\",\"relativePath\":\"" + rel +
                        "\",\"type\":\"image\",\"ext\":\"jpg\",\"size\":1234567,\"modified\":\"2024-05-01T10:00:00Z\"}");
            }
            w.Write(']');
        }
        using (var fs = new FileStream(Path.Combine(folder, "embeddings.f32"), FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
        {
            var rng = new Random(42);
            var row = new float[dim];
            var bytes = MemoryMarshal.AsBytes(row.AsSpan());
            for (var i = 0; i < count; i++)
            {
                double norm = 0;
                for (var d = 0; d < dim; d++) { row[d] = (float)(rng.NextDouble() * 2 - 1); norm += row[d] * row[d]; }
                var inv = (float)(1 / Math.Sqrt(norm));
                for (var d = 0; d < dim; d++) row[d] *= inv;
                fs.Write(bytes);
            }
        }
        using (var w = new StreamWriter(Path.Combine(folder, "embeddings.index.json"), false, new UTF8Encoding(false), 1 << 20))
        {
            w.Write('{');
            for (var i = 0; i < count; i++) w.Write((i > 0 ? ",\"" : "\"") + ids[i] + "\":" + i);
            w.Write('}');
        }
        File.WriteAllText(Path.Combine(folder, "embeddings.meta.json"),
            "{\"formatVersion\":1,\"model\":\"" + model + "\",\"modelId\":\"" + modelId + "\",\"dim\":" + dim + ",\"count\":" + count +
            ",\"preprocessing\":\"bench\",\"dtype\":\"float32\",\"byteOrder\":\"little\",\"normalized\":true,\"updatedUtc\":\"2024-05-01T10:00:00Z\"}");
        return ids;
    }

    // The peer: what one would write without thinking about speed. Its own copy of the vectors, one thread, scalar loop.
    public static float[] LoadPlain(string f32, int count, int dim)
    {
        var v = new float[(long)count * dim];
        using var fs = File.OpenRead(f32);
        for (long done = 0, total = (long)v.Length * 4; done < total;)
        {
            var span = MemoryMarshal.AsBytes(v.AsSpan((int)(done / 4), (int)Math.Min(v.Length - done / 4, 1 << 26)));
            fs.ReadExactly(span);
            done += span.Length;
        }
        return v;
    }

    public static double ScalarScanMs(float[] v, int dim, float[] q, int k)
    {
        var sw = Stopwatch.StartNew();
        var heap = new PriorityQueue<int, float>();
        var rows = v.Length / dim;
        for (var r = 0; r < rows; r++)
        {
            float s = 0;
            long o = (long)r * dim;
            for (var d = 0; d < dim; d++) s += v[o + d] * q[d];
            if (heap.Count < k) heap.Enqueue(r, s);
            else if (s > PeekScore(heap)) { heap.Dequeue(); heap.Enqueue(r, s); }
        }
        return sw.Elapsed.TotalMilliseconds;
    }

    static float PeekScore(PriorityQueue<int, float> h) { h.TryPeek(out _, out var p); return p; }

    // Bytes copied per second, all cores copying their share of a buffer at once (best of several rounds).
    public static unsafe double CopyBandwidth(long bytes, int threads)
    {
        var src = (byte*)NativeMemory.AlignedAlloc((nuint)bytes, 64);
        var dst = (byte*)NativeMemory.AlignedAlloc((nuint)bytes, 64);
        try
        {
            new Span<byte>(src, (int)Math.Min(bytes, int.MaxValue)).Fill(1);
            new Span<byte>(dst, (int)Math.Min(bytes, int.MaxValue)).Fill(2);
            double best = 0;
            for (var round = 0; round < 7; round++)
            {
                var sw = Stopwatch.StartNew();
                Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
                {
                    long part = bytes / threads, first = part * t;
                    Buffer.MemoryCopy(src + first, dst + first, part, part);
                });
                best = Math.Max(best, bytes / sw.Elapsed.TotalSeconds);
            }
            return best;
        }
        finally
        {
            NativeMemory.AlignedFree(src);
            NativeMemory.AlignedFree(dst);
        }
    }

    // Resident anonymous memory of this process (Linux), else the working set.
    public static long ResidentBytes() => Status("RssAnon:") ?? Process.GetCurrentProcess().WorkingSet64;

    // Resident file-backed pages mapped by this process (the mapped float32 rows), 0 where unknown.
    public static long MappedBytes() => Status("RssFile:") ?? 0;

    static long? Status(string field)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        if (File.Exists("/proc/self/status"))
            foreach (var line in File.ReadLines("/proc/self/status"))
                if (line.StartsWith(field)) return long.Parse(line.Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
        return null;
    }

    // A store of `count` random unit vectors (keys = 40 hex digits) written through the store's own writer, in batches
    // of 65,536 rows, generated on the other cores while the writer appends (10M rows: 20 GB of data, 1 GB of index).
    public static void CreateStore(string root, int count, int dim, string model, string modelId)
    {
        var store = MediaTagger.Core.Store.EmbeddingStore.OpenOrCreate(MediaTagger.Core.Library.MediaLibrary.Open(root), model, modelId, dim, "bench");
        const int batch = 65536;
        var batches = (count + batch - 1) / batch;
        using var ready = new System.Collections.Concurrent.BlockingCollection<(int Index, List<MediaTagger.Core.Store.StoreRow> Rows)>(2);
        var next = -1;
        var producers = Math.Max(1, Environment.ProcessorCount - 1);
        var done = 0;
        var pending = new Dictionary<int, List<MediaTagger.Core.Store.StoreRow>>();
        var workers = Enumerable.Range(0, producers).Select(_ => Task.Run(() =>
        {
            try
            {
                for (int b; (b = Interlocked.Increment(ref next)) < batches;)
                {
                    var rng = new Random(1000 + b);
                    var rows = Math.Min(batch, count - b * batch);
                    var list = new List<MediaTagger.Core.Store.StoreRow>(rows);
                    for (var r = 0; r < rows; r++)
                    {
                        var row = new float[dim];
                        double norm = 0;
                        for (var d = 0; d < dim; d++) { row[d] = (float)(rng.NextDouble() * 2 - 1); norm += row[d] * row[d]; }
                        var inv = (float)(1 / Math.Sqrt(norm));
                        for (var d = 0; d < dim; d++) row[d] *= inv;
                        list.Add(new MediaTagger.Core.Store.StoreRow(((long)b * batch + r).ToString("x40"), "bench", row));
                    }
                    ready.Add((b, list));
                }
            }
            finally { if (Interlocked.Increment(ref done) == producers) ready.CompleteAdding(); }
        })).ToArray();
        // Batches are appended in order, so row i of the file is key i.
        var expected = 0;
        foreach (var (index, rows) in ready.GetConsumingEnumerable())
        {
            pending[index] = rows;
            while (pending.Remove(expected, out var inOrder)) { store.Append(inOrder); expected++; }
        }
        Task.WaitAll(workers);
        while (pending.Remove(expected, out var rest)) { store.Append(rest); expected++; }
        if (expected != batches) throw new InvalidOperationException($"only {expected} of {batches} batches were written");
    }
}
'@ -CompilerOptions '-unsafe', '-nowarn:1701,1702'

# Throws unless both hit lists name the same groups with the same scores in the same order.
function Assert-Same($exact, $ours, [string] $what) {
    if ($exact.Count -ne $ours.Count) { throw "${what}: $($ours.Count) hits, the exact float32 scan has $($exact.Count)" }
    for ($i = 0; $i -lt $exact.Count; $i++) {
        if ($exact[$i].Group -ne $ours[$i].Group -or $exact[$i].Score -ne $ours[$i].Score) { throw "${what}: hit $i differs from the exact float32 scan" }
    }
}

# Best of N for every timing, ours and peers alike: the machine is shared, and other work only ever adds time.
function Best([double[]] $values) { ($values | Measure-Object -Minimum).Minimum }
function Line([double] $value, [string] $unit, [string] $peer, [double] $peerValue, [string] $peerUnit) {
    'bench search: ours {0:0.###} {1} | {2} {3:0.###} {4} | ratio {5:0.###}' -f $value, $unit, $peer, $peerValue, $peerUnit, ($value / $peerValue)
}

# The 10M measurement (a fresh pwsh, started below): load, query (checked against the exact float32 scan), memory.
if ($Measure) {
    $baseline = [SearchBench]::ResidentBytes()
    $location = [MediaTagger.Core.Store.StoreLocation]::new([MediaTagger.Core.Library.MediaLibrary]::Open($Measure), $Model)
    $none = [Threading.CancellationToken]::None
    $sw = [Diagnostics.Stopwatch]::StartNew()
    $store = [MediaTagger.Core.Search.ResidentStore]::Load($location, $ModelId, 512, $none)
    $load = $sw.Elapsed.TotalSeconds
    try {
        $resident = [SearchBench]::ResidentBytes()
        $n = $store.RowCount
        $storeBytes = [long]$n * $store.Dimension * 4
        Write-Host ("# 10M loaded in {0:0.0} s (index, mapping, row check, int8 copy): {1:N0} rows, int8 copy {2:0.00} GiB, mapped float32 rows in this process's page-cache view {3:0.00} GiB" -f $load, $n, ($store.Compact.Bytes / 1GB), ([SearchBench]::MappedBytes() / 1GB))
        $queries = [Collections.Generic.List[object]]::new()
        foreach ($row in 12345, 4567890, 9876543) { $queries.Add([MediaTagger.Core.Search.ScanRequest]@{ Positives = [Collections.Generic.List[float[]]]@(, $store.CopyRow($row)); K = 100; MinScore = -1 }) }
        $rng = [Random]::new(7)
        $r = [float[]]::new(512); for ($d = 0; $d -lt 512; $d++) { $r[$d] = $rng.NextDouble() - 0.5 }
        $norm = [Math]::Sqrt(($r | ForEach-Object { $_ * $_ } | Measure-Object -Sum).Sum); for ($d = 0; $d -lt 512; $d++) { $r[$d] = $r[$d] / $norm }
        $queries.Add([MediaTagger.Core.Search.ScanRequest]@{ Positives = [Collections.Generic.List[float[]]]@(, $r); Negatives = [Collections.Generic.List[float[]]]@(, $store.CopyRow(777)); K = 100; MinScore = -1 })
        $times = [Collections.Generic.List[double]]::new(); $exactTimes = [Collections.Generic.List[double]]::new()
        for ($i = 0; $i -lt $queries.Count; $i++) {
            $hits = $null
            foreach ($run in 1..3) { $t = [Diagnostics.Stopwatch]::StartNew(); $hits = [MediaTagger.Core.Search.SimilarityScan]::TopK($store, $queries[$i], $none); $times.Add($t.Elapsed.TotalMilliseconds) }
            $t = [Diagnostics.Stopwatch]::StartNew()
            $exact = [MediaTagger.Core.Search.SimilarityScan]::ExactTopK($store, $queries[$i], $none)
            $exactTimes.Add($t.Elapsed.TotalMilliseconds)
            Assert-Same $exact $hits "10M query $($i + 1)"
        }
        Write-Host "# 10M top 100 equal to the exact float32 scan for 3 stored rows and 1 random query with a negative; query times (ms): $(($times | ForEach-Object { '{0:0}' -f $_ }) -join ' ')"
        Line (Best $times) 'ms-query-10M' 'float32-scan' (Best $exactTimes) 'ms' | Write-Host
        Line (Best $times) 'ms-query-10M' 'float32-bandwidth-bound' ($storeBytes / $Bandwidth * 1000) 'ms' | Write-Host
        Line (($resident - $baseline) / 1GB) 'GiB-resident-10M' 'raw-store' ($storeBytes / 1GB) 'GiB' | Write-Host
        Write-Host ('# 10M: the whole pwsh process holds {0:0.00} GiB of anonymous memory' -f ($resident / 1GB))
    }
    finally { [GC]::KeepAlive($store) }   # freed when this process ends
    return
}

# The model used for "embedding included": the embedded default, when this build can open it.
$model = 'bench'
$modelId = 'bench/random@1'
$embedder = $null
try {
    $embedder = [MediaTagger.PowerShell.State.SearchModels]::Open('resnet18')
    $model = $embedder.Name; $modelId = $embedder.ModelId
}
catch { Write-Host "# no image model can be opened in this build ($($_.Exception.Message)); the embedding-included figure is skipped" }
$photo = @(Get-ChildItem /usr/share/wallpapers -Recurse -Include *.jpg -File -ErrorAction Ignore | Sort-Object Length | Select-Object -First 1)

$threads = [Environment]::ProcessorCount
$bandwidth = [SearchBench]::CopyBandwidth(512MB, $threads)
Write-Host ('# copy bandwidth {0:0.0} GB/s with {1} threads' -f ($bandwidth / 1e9), $threads)
$dim = 512
$root = Join-Path ([IO.Path]::GetTempPath()) "mt-bench-search-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
try {
    foreach ($n in @(100000, 1000000) | Where-Object { $_ -ge $MinRows -and $_ -le $Rows }) {
        $label = if ($n -ge 1000000) { "$($n / 1000000)M" } else { "$($n / 1000)k" }
        $lib = Join-Path $root $label
        $sw = [Diagnostics.Stopwatch]::StartNew()
        $ids = [SearchBench]::CreateLibrary($lib, $n, $dim, $model, $modelId)
        Write-Host ("# $label store written in {0:0.0} s" -f $sw.Elapsed.TotalSeconds)
        $anchor = $ids[12345]
        $storeBytes = [long]$n * $dim * 4

        if ($n -eq 100000) {
            # Import-Module + first query in a fresh pwsh (store and catalog read from disk, as after opening a new session).
            $script = "`$sw=[Diagnostics.Stopwatch]::StartNew(); Import-Module '$ModulePath'; `$null = Find-SimilarMedia -Library '$lib' -Model $model -Anchor $anchor -AnchorViews None -K 100 -MinScore -1; `$t1=`$sw.Elapsed.TotalSeconds; [Console]::WriteLine(`$t1)"
            $importOnly = "`$sw=[Diagnostics.Stopwatch]::StartNew(); Import-Module '$ModulePath'; [Console]::WriteLine(`$sw.Elapsed.TotalSeconds)"
            $pwsh = @(if ([Environment]::ProcessPath -match 'dotnet(\.exe)?$') { [Environment]::ProcessPath, (Join-Path $PSHOME 'pwsh.dll') } else { Join-Path $PSHOME 'pwsh' })
            $first = Best @(1..3 | ForEach-Object { [double](& $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -Command $script) })
            $import = Best @(1..3 | ForEach-Object { [double](& $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -Command $importOnly) })
            Line $first 's-import+first-query-100k' 'import-only' $import 's' | Write-Host
        }

        # Catalog first, so the memory delta of the first query is the resident store (plus one query's garbage).
        $library = [MediaTagger.Core.Library.MediaLibrary]::Open($lib)
        $null = [MediaTagger.Core.Library.AssetCatalog]::Load($library)
        $before = [SearchBench]::ResidentBytes()
        $beforeMapped = [SearchBench]::MappedBytes()
        $sw.Restart()
        $null = Find-SimilarMedia -Library $lib -Model $model -Anchor $anchor -AnchorViews None -K 100 -MinScore -1
        $load = $sw.Elapsed.TotalSeconds
        $resident = [SearchBench]::ResidentBytes() - $before
        $mapped = [SearchBench]::MappedBytes() - $beforeMapped
        Write-Host ("# $label first query (store load + int8 copy) {0:0.00} s; float32 rows mapped, {1:0.00} GiB of them in this process's page-cache view" -f $load, ($mapped / 1GB))
        Line ($resident / 1GB) "GiB-resident-$label" 'raw-store' ($storeBytes / 1GB) 'GiB' | Write-Host

        $runs = if ($n -ge 1000000) { 9 } else { 61 }
        # The scan alone, on the same resident store the cmdlet uses: ours (int8 first pass + float32 re-score) and
        # the exact float32 scan, alternating, each checked to return the same top 100.
        $slot = [MediaTagger.PowerShell.State.ModuleState]::GetOrAdd[MediaTagger.Core.Search.ResidentStoreSlot]("search-store:" + [MediaTagger.Core.Store.EmbeddingStore]::FolderFor($library, $model), $null)
        $lease = $slot.Acquire()
        $none = [Threading.CancellationToken]::None
        try {
            $store = $lease.Store
            if (-not $store.Compact) { throw "the $label store has no int8 copy" }
            $q = [MediaTagger.Core.Search.MediaSearch]::StoredVectors($store, [string[]]@($anchor))[$anchor][0]
            # Scored as Find-SimilarMedia scores (centred by the model's feature mean when it has one), so "its own scan" is the scan the query runs.
            $stats = [MediaTagger.Core.Models.FeatureStatistics]::For($store.Meta.ModelId)
            $mean = if ($stats) { $stats.Mean } else { $null }
            $request = [MediaTagger.Core.Search.ScanRequest]@{ Positives = [System.Collections.Generic.List[float[]]]@(, $q); K = 100; MinScore = -1; Mean = $mean }
            $scans = [Collections.Generic.List[double]]::new(); $exacts = [Collections.Generic.List[double]]::new(); $warms = [Collections.Generic.List[double]]::new()
            # The warm query asks what its scan asks (-MinScore -1, K 100): the model's default MinScore would leave only
            # the anchor itself among random vectors, and a query returning one match is not the case to measure.
            # The scan and the query run back to back in alternating order (the second of a pair finds what the first
            # left in the caches); the exact scan, which streams every float32 row through the caches, runs after both.
            foreach ($i in 1..$runs) {
                $scanFirst = $i % 2 -eq 1
                if ($scanFirst) { $t = [Diagnostics.Stopwatch]::StartNew(); $hits = [MediaTagger.Core.Search.SimilarityScan]::TopK($store, $request, $none); $scans.Add($t.Elapsed.TotalMilliseconds) }
                # Timed as the scan is (a stopwatch around the statement): Measure-Command would add its own script-block call.
                $t = [Diagnostics.Stopwatch]::StartNew(); $null = Find-SimilarMedia -Library $lib -Model $model -Anchor $anchor -AnchorViews None -K 100 -MinScore -1; $warms.Add($t.Elapsed.TotalMilliseconds)
                if (-not $scanFirst) { $t = [Diagnostics.Stopwatch]::StartNew(); $hits = [MediaTagger.Core.Search.SimilarityScan]::TopK($store, $request, $none); $scans.Add($t.Elapsed.TotalMilliseconds) }
                $t.Restart(); $exact = [MediaTagger.Core.Search.SimilarityScan]::ExactTopK($store, $request, $none); $exacts.Add($t.Elapsed.TotalMilliseconds)
                Assert-Same $exact $hits "$label query $i"
            }
            # Random queries (not stored rows) too: the top 100 must equal the exact scan's.
            $rng = [Random]::new(7)
            foreach ($i in 1..5) {
                $r = [float[]]::new($dim); for ($d = 0; $d -lt $dim; $d++) { $r[$d] = $rng.NextDouble() - 0.5 }
                $norm = [Math]::Sqrt(($r | ForEach-Object { $_ * $_ } | Measure-Object -Sum).Sum); for ($d = 0; $d -lt $dim; $d++) { $r[$d] = $r[$d] / $norm }
                $rq = [MediaTagger.Core.Search.ScanRequest]@{ Positives = [System.Collections.Generic.List[float[]]]@(, $r); Negatives = [System.Collections.Generic.List[float[]]]@(, $q); K = 100; MinScore = -1; Mean = $mean }
                Assert-Same ([MediaTagger.Core.Search.SimilarityScan]::ExactTopK($store, $rq, $none)) ([MediaTagger.Core.Search.SimilarityScan]::TopK($store, $rq, $none)) "$label random query $i with a negative"
            }
            Write-Host "# $label top 100 equal to the exact float32 scan for $runs stored anchors and 5 random queries with a negative"
            $scan = Best $scans; $exactScan = Best $exacts; $warm = Best $warms
        }
        finally { $lease.Dispose() }

        $plain = [SearchBench]::LoadPlain((Join-Path $lib ".mediatagger/data/embeddings/$model/embeddings.f32"), $n, $dim)
        $scalar = Best @(1..([math]::Max(3, $runs / 3)) | ForEach-Object { [SearchBench]::ScalarScanMs($plain, $dim, $q, 100) })
        $plain = $null
        $bound = $storeBytes / $bandwidth * 1000

        Line $warm "ms-query-$label" 'scalar-1thread-scan' $scalar 'ms' | Write-Host
        Line $scan "ms-scan-$label" 'float32-scan' $exactScan 'ms' | Write-Host
        Line $scan "ms-scan-$label" 'float32-bandwidth-bound' $bound 'ms' | Write-Host
        Line $warm "ms-query-$label" 'float32-bandwidth-bound' $bound 'ms' | Write-Host
        Line $warm "ms-query-$label" 'its-own-scan' $scan 'ms' | Write-Host

        if ($embedder -and $photo) {
            $embedded = Best @(1..([math]::Max(3, $runs / 3)) | ForEach-Object { (Measure-Command { $null = Find-SimilarMedia -Library $lib -Model $model -Anchor $photo[0].FullName -K 100 -MinScore -1 }).TotalMilliseconds })
            Line $embedded "ms-query+embedding-$label" 'scalar-1thread-scan' $scalar 'ms' | Write-Host
        }
        Remove-Module MediaTagger -Force   # frees the resident store before the next size
        Import-Module $ModulePath -Force
        [GC]::Collect()
        Remove-Item $lib -Recurse -Force
    }

    # 10M rows through the core API: generated once (or reused from -KeepStore), then loaded and queried in a fresh pwsh
    # so its memory figure is that process's own.
    if ($Rows -ge 10000000) {
        $n = 10000000
        $lib = if ($KeepStore) { $KeepStore } else { Join-Path $root '10M' }
        $marker = Join-Path $lib '.bench-search-complete'
        if (-not (Test-Path $marker)) {
            $need = [long]$n * $dim * 4 * 1.1
            $probe = $lib; while (-not (Test-Path $probe)) { $probe = Split-Path $probe -Parent }
            $available = [IO.DriveInfo]::new((Resolve-Path $probe).Path).AvailableFreeSpace
            if ($available -lt $need) { throw ('the 10M store needs {0:0} GB of disk where it goes ({1}); {2:0} GB are free' -f ($need / 1e9), $lib, ($available / 1e9)) }
            if (Test-Path $lib) { Remove-Item $lib -Recurse -Force }   # what an interrupted generation left
            $sw = [Diagnostics.Stopwatch]::StartNew()
            [SearchBench]::CreateStore($lib, $n, $dim, $model, $modelId)
            Set-Content $marker "$n"
            Write-Host ("# 10M store written through the store's writer in {0:0} s" -f $sw.Elapsed.TotalSeconds)
        }
        else { Write-Host "# 10M store reused from $lib" }
        $pwsh = @(if ([Environment]::ProcessPath -match 'dotnet(\.exe)?$') { [Environment]::ProcessPath, (Join-Path $PSHOME 'pwsh.dll') } else { Join-Path $PSHOME 'pwsh' })
        & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -File $PSCommandPath -ModulePath $ModulePath -Measure $lib -Bandwidth $bandwidth -Model $model -ModelId $modelId
        if ($LASTEXITCODE -ne 0) { throw "the 10M measurement failed (exit code $LASTEXITCODE)" }
        if (-not $KeepStore) { Remove-Item $lib -Recurse -Force }
    }
}
finally {
    if (Test-Path $root) { Remove-Item $root -Recurse -Force }
}
