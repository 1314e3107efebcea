using System.Management.Automation;
using MediaTagger.Core.Common;
using MediaTagger.Core.Faces;

namespace MediaTagger.PowerShell.Cmdlets;

/// <summary>Groups a library's faces (by default the unnamed ones) into clusters that look like one person each.</summary>
[Cmdlet(VerbsData.Group, "MediaFace")]
[OutputType(typeof(FaceCluster))]
public sealed class GroupMediaFaceCommand : FaceCmdlet
{
    /// <summary>Average cosine similarity a cluster's faces must keep; higher gives smaller, purer clusters.</summary>
    [Parameter]
    [ValidateRange(0.0, 1.0)]
    public double Threshold { get; set; } = FaceClustering.DefaultThreshold;

    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int MinClusterSize { get; set; } = 2;

    /// <summary>Cluster the named faces too (each cluster then suggests the name most of its faces carry).</summary>
    [Parameter]
    public SwitchParameter IncludeNamed { get; set; }

    protected override void EndProcessing()
    {
        var faces = OpenFaces(FaceLibraryRoot()).Faces.Where(f => IncludeNamed || f.Name is null).ToList();
        List<FaceCluster> clusters;
        try { clusters = FaceClustering.Cluster(faces, Threshold, MinClusterSize, StopToken); }
        catch (OperationCanceledException) when (StopToken.IsCancellationRequested) { throw new PipelineStoppedException(); }
        foreach (var cluster in clusters) WriteObject(cluster);
    }
}
