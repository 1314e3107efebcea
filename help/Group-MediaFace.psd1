@{
    Synopsis    = 'Groups the unnamed faces of a library into clusters, one person each, to name in one go.'
    Description = @'
Group-MediaFace clusters faces by similarity (average-linkage agglomerative clustering on the cosine similarity of their vectors): two groups merge while the average similarity between their faces reaches -Threshold. Each FaceCluster has an Id, its Faces, and with -IncludeNamed the name most of its named faces carry (SuggestedName). Pipe a cluster to Set-MediaFaceName to name all its faces.

Its quality at the default threshold was measured on real photos (docs/faces.md). It scales to tens of thousands of faces: faces are first split into groups no pair of which reaches -Threshold (a scan of every pair on all cores, little memory), then each group is clustered on its own, which gives exactly the result of clustering all faces at once. Memory grows with the largest group (one person's faces), not with the library. Ctrl+C stops it.
'@
    Parameters  = @{
        Library        = 'The library folder; by default the one used last in this session.'
        StorePath      = 'The store folder of the library when it is not <library>/.mediatagger.'
        Threshold      = 'Average cosine similarity the faces of a cluster keep (0-1). Higher gives smaller, purer clusters.'
        MinClusterSize = 'Clusters smaller than this are not listed (a face seen once is not a group).'
        IncludeNamed   = 'Cluster the named faces too, so clusters suggest names.'
    }
    Examples    = @(
        @{
            Title   = 'Name the biggest group'
            Code    = 'Group-MediaFace -Library ~/Pictures | Select-Object -First 1 | Set-MediaFaceName Bob'
            Remarks = 'Every face of the largest cluster is named Bob.'
        }
    )
    Links       = @('Set-MediaFaceName', 'Get-MediaFace')
}
