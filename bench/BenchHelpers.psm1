# Shared by the bench-*.ps1 scripts: the one output format every figure uses.
Set-StrictMode -Version Latest

<#
.SYNOPSIS
    Prints "bench <stage>: ours <value> <unit> | <peer> <value> <unit> | ratio <r>", ratio = ours / peer.
#>
function Write-BenchLine {
    param(
        [Parameter(Mandatory)] [string] $Stage,
        [Parameter(Mandatory)] [double] $Ours,
        [Parameter(Mandatory)] [string] $Peer,
        [Parameter(Mandatory)] [double] $PeerValue,
        [Parameter(Mandatory)] [string] $Unit,
        [int] $Digits = 3
    )
    $ratio = if ($PeerValue -ne 0) { $Ours / $PeerValue } else { [double]::NaN }
    $fmt = "F$Digits"
    "bench ${Stage}: ours $($Ours.ToString($fmt, [cultureinfo]::InvariantCulture)) $Unit | $Peer $($PeerValue.ToString($fmt, [cultureinfo]::InvariantCulture)) $Unit | ratio $($ratio.ToString('F2', [cultureinfo]::InvariantCulture))"
}

<#
.SYNOPSIS
    Runs a script block several times and returns the best (minimum) wall time in seconds.
#>
function Measure-Best {
    param([Parameter(Mandatory)] [scriptblock] $Script, [int] $Repeat = 3)
    $best = [double]::MaxValue
    for ($i = 0; $i -lt $Repeat; $i++) {
        $sw = [Diagnostics.Stopwatch]::StartNew()
        & $Script | Out-Null
        $sw.Stop()
        $best = [Math]::Min($best, $sw.Elapsed.TotalSeconds)
    }
    $best
}

Export-ModuleMember -Function Write-BenchLine, Measure-Best
