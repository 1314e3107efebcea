#requires -Version 7.4
<#
.SYNOPSIS
    Benchmarks the vector store: appending, compaction, and open + full validation, each beside a plain file operation
    on the same bytes measured in the same run.
.DESCRIPTION
    1. Appends -Rows 512-d rows in batches of -Batch through the store's writer (rows fsynced, then the batch's index
       lines fsynced: what Add-MediaEmbedding does per batch), beside appending the same bytes to a plain file with one
       fsync per batch. Also the time of the last 100k rows divided by the first 100k (target 1.25: appends must not
       slow down as the store grows).
    2. Opens that store into memory with the full per-row check (finite, unit length, sum) beside reading the same bytes
       from the data file into memory; and the memory the resident store takes beside the raw vectors.
    3. Compacts a store of -Rows rows of which half are superseded (seconds and peak resident memory of the process
       during compaction) beside reading the same data file and writing its live half to a plain file (fsynced).
    Stores are written under the temp folder and deleted afterwards.
#>
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../output/MediaTagger'),
    [int] $Rows = 1000000,
    [int] $Batch = 32
)
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath -Force
Import-Module (Join-Path $PSScriptRoot 'BenchHelpers.psm1') -Force
$core = Join-Path (Get-Module MediaTagger).ModuleBase 'MediaTagger.Core.dll'

Add-Type -ReferencedAssemblies $core, 'System.Collections', 'System.Runtime.InteropServices', 'System.Threading', 'System.Memory', 'System.Console' -CompilerOptions '-unsafe', '-nowarn:1701,1702' -IgnoreWarnings -TypeDefinition @'
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading;
using MediaTagger.Core.Library;
using MediaTagger.Core.Search;
using MediaTagger.Core.Store;

public static class StoreBench
{
    public const string ModelId = "bench/random@1";

    // A pool of random unit vectors, reused cyclically (the store neither knows nor cares).
    static float[][] Pool(int dim, int seed)
    {
        var rng = new Random(seed);
        var pool = new float[1024][];
        for (var p = 0; p < pool.Length; p++)
        {
            var v = new float[dim];
            double norm = 0;
            for (var d = 0; d < dim; d++) { v[d] = (float)(rng.NextDouble() * 2 - 1); norm += v[d] * v[d]; }
            var inv = (float)(1 / Math.Sqrt(norm));
            for (var d = 0; d < dim; d++) v[d] *= inv;
            pool[p] = v;
        }
        return pool;
    }

    static string Key(int i) => i.ToString("x40");

    // Appends keys [first, first + rows) in batches; returns the seconds taken by each 100k rows.
    public static double[] Append(string root, string model, int first, int rows, int batch, int dim, string stamp)
    {
        var store = EmbeddingStore.OpenOrCreate(MediaLibrary.Open(root), model, ModelId, dim, "bench");
        var pool = Pool(dim, first + 1);
        var laps = new List<double>();
        var sw = Stopwatch.StartNew();
        var list = new List<StoreRow>(batch);
        for (var i = 0; i < rows; i += batch)
        {
            list.Clear();
            for (var j = i; j < Math.Min(rows, i + batch); j++) list.Add(new StoreRow(Key(first + j), stamp, pool[j % pool.Length]));
            store.Append(list);
            if ((i + batch) / 100000 != i / 100000 || i + batch >= rows) { laps.Add(sw.Elapsed.TotalSeconds); sw.Restart(); }
        }
        return laps.ToArray();
    }

    // The peer: the same bytes appended to one plain file, one fsync per batch; seconds per 100k rows.
    public static double[] PlainAppend(string file, int rows, int batch, int dim)
    {
        var pool = Pool(dim, 1);
        var laps = new List<double>();
        var sw = Stopwatch.StartNew();
        using (var fs = new FileStream(file, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
        {
            for (var i = 0; i < rows; i += batch)
            {
                for (var j = i; j < Math.Min(rows, i + batch); j++) fs.Write(MemoryMarshal.AsBytes(pool[j % pool.Length].AsSpan()));
                fs.Flush(true);
                if ((i + batch) / 100000 != i / 100000 || i + batch >= rows) { laps.Add(sw.Elapsed.TotalSeconds); sw.Restart(); }
            }
        }
        return laps.ToArray();
    }

    // Open + full validation into memory; returns seconds, and the managed bytes the resident store holds besides its rows.
    public static double[] Load(string root, string model, int dim)
    {
        var at = new StoreLocation(MediaLibrary.Open(root), model);
        var before = GC.GetTotalMemory(true);
        var sw = Stopwatch.StartNew();
        using var slot = new ResidentStoreSlot(at);
        using var lease = slot.Acquire(ModelId, dim, CancellationToken.None);
        var seconds = sw.Elapsed.TotalSeconds;
        var managed = GC.GetTotalMemory(true) - before;
        var native = (double)lease.Store.RowCount * dim * sizeof(float);
        return new[] { seconds, managed, native, lease.Store.RowCount };
    }

    // The peer: the same bytes read from the data file into one native block of their size.
    public static unsafe double PlainRead(string file)
    {
        var sw = Stopwatch.StartNew();
        var length = new FileInfo(file).Length;
        var block = (byte*)NativeMemory.AlignedAlloc((nuint)length, 64);
        try
        {
            using var handle = File.OpenHandle(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, FileOptions.SequentialScan);
            for (long done = 0; done < length;)
            {
                var n = RandomAccess.Read(handle, new Span<byte>(block + done, (int)Math.Min(64 << 20, length - done)), done);
                if (n <= 0) throw new EndOfStreamException();
                done += n;
            }
        }
        finally { NativeMemory.AlignedFree(block); }
        return sw.Elapsed.TotalSeconds;
    }

    static long StatusKb(string field)
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith(field + ":")) return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);
        return -1;
    }

    // Compaction; returns seconds, peak resident bytes of the process during it, and resident bytes before it.
    public static double[] Compact(string root, string model)
    {
        GC.Collect();
        var rssBefore = StatusKb("VmRSS") * 1024.0;
        // Resets the process's peak resident size (VmHWM), so what is read afterwards is the peak of the compaction.
        try { File.WriteAllText("/proc/self/clear_refs", "5"); } catch (Exception) { }
        var sw = Stopwatch.StartNew();
        var done = EmbeddingStore.Optimize(new StoreLocation(MediaLibrary.Open(root), model));
        var seconds = sw.Elapsed.TotalSeconds;
        return new[] { seconds, StatusKb("VmHWM") * 1024.0, rssBefore, done.RowsBefore, done.RowsAfter };
    }

    // The peer: read the whole data file and write its live rows (here its second half) to a plain file, fsynced.
    public static double PlainCompact(string source, string destination)
    {
        var sw = Stopwatch.StartNew();
        var buffer = new byte[16 << 20];
        using (var input = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.SequentialScan))
        using (var output = new FileStream(destination, FileMode.Create, FileAccess.Write, FileShare.None, 1))
        {
            var half = input.Length / 2;
            long position = 0;
            int n;
            while ((n = input.Read(buffer, 0, buffer.Length)) > 0)
            {
                var keepFrom = Math.Max(0, half - position);
                if (keepFrom < n) output.Write(buffer, (int)keepFrom, (int)(n - keepFrom));
                position += n;
            }
            output.Flush(true);
        }
        return sw.Elapsed.TotalSeconds;
    }
}
'@

$dim = 512
$work = Join-Path ([IO.Path]::GetTempPath()) "mt-bench-store-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
New-Item -ItemType Directory -Path $work | Out-Null
try {
    Write-Host "Appending $($Rows.ToString('N0')) rows of $dim floats in batches of $Batch (machine shared: figures under load) ..."
    $appendLib = Join-Path $work 'append'
    New-Item -ItemType Directory -Path $appendLib | Out-Null
    $laps = [StoreBench]::Append($appendLib, 'bench', 0, $Rows, $Batch, $dim, 's1')
    $total = ($laps | Measure-Object -Sum).Sum
    $plainLaps = [StoreBench]::PlainAppend((Join-Path $work 'plain.f32'), $Rows, $Batch, $dim)
    $plain = ($plainLaps | Measure-Object -Sum).Sum
    Remove-Item (Join-Path $work 'plain.f32')
    Write-BenchLine -Stage 'store-append' -Ours $total -Peer 'plain append + fsync per batch' -PeerValue $plain -Unit 's' -Digits 1
    if ($laps.Count -ge 2) {
        Write-BenchLine -Stage 'store-append-last/first-100k' -Ours ($laps[-1] / $laps[0]) -Peer 'target' -PeerValue 1.25 -Unit 'x' -Digits 2
        # The same ratio for the plain file in this run: what the disk and the machine's load did to appends that cannot slow down.
        Write-BenchLine -Stage 'store-append-last/first-100k-vs-plain' -Ours ($laps[-1] / $laps[0]) -Peer 'plain append' -PeerValue ($plainLaps[-1] / $plainLaps[0]) -Unit 'x' -Digits 2
        Write-Host ("  per 100k rows, ours: {0}" -f (($laps | ForEach-Object { $_.ToString('F1') }) -join ' '))
        Write-Host ("  per 100k rows, plain: {0}" -f (($plainLaps | ForEach-Object { $_.ToString('F1') }) -join ' '))
    }

    $data = (Get-ChildItem (Join-Path $appendLib '.mediatagger/data/embeddings/bench') -Filter '*.f32').FullName
    $load = @(1, 2 | ForEach-Object { , [StoreBench]::Load($appendLib, 'bench', $dim) }) | Sort-Object { $_[0] } | Select-Object -First 1
    $read = (1, 2 | ForEach-Object { [StoreBench]::PlainRead($data) } | Measure-Object -Minimum).Minimum
    Write-BenchLine -Stage "store-open-validate-$([int]$load[3])-rows" -Ours $load[0] -Peer 'plain read of the data file' -PeerValue $read -Unit 's' -Digits 2
    Write-BenchLine -Stage 'store-resident-memory' -Ours (($load[2] + $load[1]) / 1MB) -Peer 'raw vectors' -PeerValue ($load[2] / 1MB) -Unit 'MB' -Digits 0
    Remove-Item -Recurse -Force $appendLib

    Write-Host "Building a $($Rows.ToString('N0'))-row store, half of it superseded ..."
    $compactLib = Join-Path $work 'compact'
    New-Item -ItemType Directory -Path $compactLib | Out-Null
    [StoreBench]::Append($compactLib, 'bench', 0, [int]($Rows / 2), 8192, $dim, 'old') | Out-Null
    [StoreBench]::Append($compactLib, 'bench', 0, [int]($Rows / 2), 8192, $dim, 'new') | Out-Null
    $data = (Get-ChildItem (Join-Path $compactLib '.mediatagger/data/embeddings/bench') -Filter '*.f32').FullName
    $plainCompact = [StoreBench]::PlainCompact($data, (Join-Path $work 'plain-compact.f32'))
    Remove-Item (Join-Path $work 'plain-compact.f32')
    $c = [StoreBench]::Compact($compactLib, 'bench')
    if ($c[4] -ne [int]($Rows / 2)) { throw "compaction kept $($c[4]) rows, expected $([int]($Rows / 2))" }
    Write-BenchLine -Stage 'store-compact' -Ours $c[0] -Peer 'plain read + write of the live half' -PeerValue $plainCompact -Unit 's' -Digits 1
    Write-BenchLine -Stage 'store-compact-peak-memory' -Ours ($c[1] / 1MB) -Peer 'process before compacting' -PeerValue ($c[2] / 1MB) -Unit 'MB' -Digits 0
}
finally {
    Remove-Item -Recurse -Force $work -ErrorAction SilentlyContinue
}
