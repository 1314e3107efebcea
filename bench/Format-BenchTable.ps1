#requires -Version 7.4
<#
.SYNOPSIS
    Turns the output of `build.ps1 Bench` into the Markdown table of README's Performance section.
.DESCRIPTION
    Reads every "bench <stage>: ours <value> <unit> | <peer> <value> <unit> | ratio <r>" line (other lines are ignored)
    and writes one table row per line, in the order the benchmarks printed them. Rows that issue 16 sets a target for
    get that target and whether this run met it; a ratio target compares the printed ratio, an absolute target (search
    time) compares ours. Not a stage of its own: build.ps1 Bench runs only bench-*.ps1.
.EXAMPLE
    dotnet pwsh ./build.ps1 Bench | Tee-Object output/bench.log
    dotnet pwsh ./bench/Format-BenchTable.ps1 output/bench.log    # paste the table into README.md, section Performance
#>
param(
    # The saved output of build.ps1 Bench.
    [Parameter(Mandatory, Position = 0)] [string] $Path
)
$ErrorActionPreference = 'Stop'
$lines = Get-Content -LiteralPath $Path

# Issue 16's targets, keyed by stage, ours' unit and peer (wildcards). Kind Ratio: the printed ratio; Ours: our value.
$targets = @(
    @{ Stage = 'embed-resnet18'; Unit = '*'; Peer = 'bare-onnxruntime-best'; Kind = 'Ratio'; Op = 'ge'; Limit = 0.90 }
    @{ Stage = 'embed-vit-b32'; Unit = '*'; Peer = 'bare-onnxruntime-best'; Kind = 'Ratio'; Op = 'ge'; Limit = 0.90 }
    @{ Stage = 'reps'; Unit = '*'; Peer = 'vipsthumbnail'; Kind = 'Ratio'; Op = 'ge'; Limit = 1.25 }
    @{ Stage = 'scan-full'; Unit = '*'; Peer = 'find-printf-size-time'; Kind = 'Ratio'; Op = 'le'; Limit = 2.0 }
    @{ Stage = 'scan-rescan'; Unit = '*'; Peer = 'find-printf-size-time'; Kind = 'Ratio'; Op = 'le'; Limit = 1.0 }
    @{ Stage = 'search'; Unit = 'ms-scan-1M'; Peer = 'float32-scan'; Kind = 'Ours'; Op = 'le'; Limit = 25 }
    @{ Stage = 'search'; Unit = 'ms-scan-100k'; Peer = 'float32-scan'; Kind = 'Ours'; Op = 'le'; Limit = 4 }
    @{ Stage = 'search'; Unit = 'ms-query-100k'; Peer = 'its-own-scan'; Kind = 'Ratio'; Op = 'le'; Limit = 1.5 }
    @{ Stage = 'search'; Unit = 'GiB-resident-*'; Peer = 'raw-store'; Kind = 'Ratio'; Op = 'le'; Limit = 1.4 }
)

# A peer's name may have spaces ("plain append + fsync per batch"): it ends where its number starts.
$pattern = '^bench (?<stage>[^:]+): ours (?<ours>\S+) (?<unit>.+?) \| (?<peer>.+?) (?<pv>-?\d[\d.,]*(?:[eE][-+]?\d+)?|NaN|-?Infinity|∞) (?<punit>\S.*?) \| ratio (?<ratio>\S+)\s*$'
$inv = [cultureinfo]::InvariantCulture
$rows = foreach ($line in $lines) {
    # Strip colours a terminal-aware child may have added.
    $text = ($line -replace "`e\[[0-9;]*m", '').Trim()
    if ($text -notmatch $pattern) { continue }
    $m = $Matches
    $target = $targets | Where-Object { $m.stage -eq $_.Stage -and $m.unit -like $_.Unit -and $m.peer -like $_.Peer } | Select-Object -First 1
    $goal = ''; $met = ''
    if ($target) {
        $value = [double]::Parse(($target.Kind -eq 'Ratio' ? $m.ratio : $m.ours), $inv)
        $goal = '{0} {1}{2}' -f ($target.Op -eq 'ge' ? '≥' : '≤'), $target.Limit, ($target.Kind -eq 'Ours' ? " $($m.unit -replace '-.*$', '')" : '')
        $met = if ($target.Op -eq 'ge' ? $value -ge $target.Limit : $value -le $target.Limit) { 'yes' } else { '**no**' }
    }
    '| {0} | {1} {2} | {3} {4} {5} | {6} | {7} | {8} |' -f $m.stage, $m.ours, $m.unit, $m.peer, $m.pv, $m.punit, $m.ratio, $goal, $met
}
if (-not $rows) { throw "No 'bench <stage>: ours ... | <peer> ... | ratio ...' lines in '$Path'." }
'| Stage | MediaTagger | Peer or limit, same run | Ratio | Target (issue 16) | Met |'
'|---|---|---|---|---|---|'
$rows
