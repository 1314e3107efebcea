@{
    Synopsis    = 'Finds the photos and videos of a library that look most like one or more example images (anchors), best first.'
    Description = @'
Find-SimilarMedia answers "show me all photos of Teddy": give it a few example images (anchors) and it ranks every embedded image and video of the library by how much it looks like them. Run Get-MediaAsset, New-MediaRep and Add-MediaEmbedding on the library first; the search itself reads only the embedding store, so it takes milliseconds even on very large libraries.

Scores. Each picture is a list of numbers (an embedding); the score is the cosine similarity of two of them: 1 means the same picture, higher means more alike. How high "alike" is depends on the model: with the built-in image model (resnet18) unrelated photos often still score 0.5 or more, so compare scores with each other rather than reading them as percentages. Look at the top results and pick a cut-off with Where-Object Score -gt ... or -MinScore.

Several anchors. The score of a library item is the highest similarity to ANY anchor (max, not mean), so anchors from different angles, lighting and ages widen the search instead of blurring it. Each result names the anchor that matched best (BestAnchor). Anchors can be photo or video files inside or outside the library (files outside are rendered and embedded on the fly exactly as New-MediaRep and Add-MediaEmbedding treat library files, and are not added to the catalog), MediaAsset or MediaMatch objects (for example earlier results), or asset ids. Anchors that are already in the store are not embedded again. -WhatIf runs the query without saving it.

Negative anchors. -NegativeAnchor takes examples of what you do NOT want (the neighbour's dog, a cuddly toy). The rule: an item is dropped when its similarity to its closest negative anchor is higher than its similarity to its closest positive anchor (a tie keeps it). Results of a query with negatives also carry NegativeScore (similarity to the closest negative) and Margin (Score minus NegativeScore, always 0 or more): a small margin means "could be either".

Mirrored and turned copies. Each anchor is also matched as its mirror image and turned 90, 180 and 270 degrees (-AnchorViews All, the default); a result scores its best view and BestAnchorView names it (Original, Mirrored, Rotated90, Rotated180, Rotated270). -AnchorViews Mirror or None when turned copies are not wanted or every millisecond counts.

Videos. When a video was embedded with several frames, each frame is compared on its own and the video scores as its best frame; BestFrame says which (1 = first). With negative anchors the rule applies frame by frame, so a video is dropped only when every frame is closer to a negative.

How many. At most -K results with a score of at least -MinScore, sorted by score (best first, Rank 1). Without them the profile's queryDefaults apply (-Profile): its imageByModel entry for the store's model when it has one (the shipped profiles set MinScore 0.35-0.5 for the built-in resnet18), else its image values; without a profile K 700 and MinScore 0.25 (0.45 for resnet18).

Scores. 1 is the same picture. With resnet18 the score is the cosine after subtracting the model's average picture (a mean that ships with the module), so unrelated photos score around 0 to 0.2, similar-looking ones up to about 0.5, and copies (resized, recompressed, cropped, brightened, mirrored, turned) 0.85 or more.

Saved results. Every query writes data/last_query.json in the library's store (the query, its parameters, the model and the ranked results with id, path and score); Invoke-MediaReview reads it when nothing is piped in. -OutFile name.json also saves them as data/name.json.

Errors. A missing library, a library without embeddings of the model, an empty store, or a store built by other weights than the model now installed under that name (its vectors would not be comparable) stop the command with one clear error. An anchor that does not exist (MediaSearchAnchorNotFound) or cannot be decoded (MediaSearchAnchorUnreadable) is reported and the other anchors are used.
'@
    Parameters  = @{
        ExcludeTag      = "Leave out assets whose sidecar already carries one of these tags (or a tag below one, so 'Pets|Teddy' also covers 'Pets|Teddy|Puppy'), e.g. -ExcludeTag 'Pets|Teddy' to see only what is not tagged yet. Both sidecar namings are read."
        ExcludeReviewed = 'Leave out assets whose latest review decision was a rejection: for -ReviewLabel when given, else for this same question (the same anchors or prompts).'
        ReviewLabel     = 'With -ExcludeReviewed: use the decisions recorded under this review label (Invoke-MediaReview -Label Teddy), whatever the question was.'
        Anchor         = 'Example images of what you are looking for: file paths (relative paths, ~ and wildcards work), files from Get-ChildItem, MediaAsset or MediaMatch objects, or asset ids. Accepts pipeline input. Give several: the score is the best similarity to any of them.'
        WholeVideo     = 'A video result (MediaMatch) given as an anchor normally stands only for the frame that matched (its BestFrame), so its other scenes do not pull in unrelated pictures. With -WholeVideo every frame of the video is an anchor.'
        AnchorViews    = 'Which views of each anchor are matched: All (the default: the picture as it is, mirrored left-right, and turned 90, 180 and 270 degrees), Mirror (as it is and mirrored) or None (as it is). An item scores its best view, and BestAnchorView says which one matched, so a mirrored selfie or a scan stored sideways is found like the anchor itself. Each extra view is one more embedding per anchor (about 20-40 ms with resnet18); the library is still read once.'
        NegativeAnchor = 'Example images of what you do NOT want (same kinds of input as -Anchor). An item more similar to its closest negative anchor than to its closest anchor is dropped; kept items show NegativeScore and Margin.'
        Library        = 'The root folder of the library to search. Defaults to the library of a piped MediaAsset anchor, else the one used last in this session.'
        StorePath      = 'The store folder of the library when it is not <root>/.mediatagger (see Get-MediaAsset -StorePath).'
        Model          = 'The model whose embeddings are searched (a folder under data/embeddings, e.g. resnet18). Anchors are embedded with the same model. Defaults to the profile''s model, else the only model the library has embeddings of.'
        Profile        = 'A profile name (pets, people, places, events, objects, or your own) or a profile .json file: supplies the default -K, -MinScore (queryDefaults.image) and model.'
        K              = 'The most results to return (default: the profile''s queryDefaults.image.k, else 700).'
        MinScore       = 'The lowest score a result may have, between -1 and 1 (default: the profile''s queryDefaults for the model, else 0.25, or 0.45 with resnet18).'
        OutFile        = 'Also save the results as data/<name> in the library''s store, e.g. -OutFile teddy_candidates.json. A plain file name; an existing file that is not a saved query is never overwritten.'
    }
    Examples    = @(
        @{
            Title   = 'Find a pet from three example photos'
            Code    = 'Find-SimilarMedia -Library ~/Pictures -Anchor ./teddy1.jpg, ./teddy2.jpg, ./teddy3.jpg -Profile pets'
            Remarks = 'Ranks the whole library by similarity to any of the three photos and shows Rank, Score, Type and RelativePath.'
        }
        @{
            Title   = 'Leave out look-alikes'
            Code    = 'Find-SimilarMedia -Anchor ./teddy*.jpg -NegativeAnchor ./neighbours-dog.jpg, ./toy.jpg | Format-Table Rank, Score, Margin, RelativePath'
            Remarks = 'Drops every picture that is closer to the neighbour''s dog or the toy than to Teddy; Margin shows how clear-cut each remaining one is.'
        }
        @{
            Title   = 'Keep only strong matches and review them'
            Code    = 'Find-SimilarMedia -Anchor ./teddy1.jpg -K 2000 -MinScore 0.6 | Where-Object Score -gt 0.8 | Invoke-MediaReview'
            Remarks = 'Results are MediaAsset objects with a score, so they filter, sort, export and pipe like assets.'
        }
        @{
            Title   = 'Use results as new anchors'
            Code    = '$best = Find-SimilarMedia -Anchor ./teddy1.jpg -K 5; Find-SimilarMedia -Anchor $best -OutFile teddy_round2.json'
            Remarks = 'Library assets (and their ids) work as anchors without being embedded again; the second query is also saved as data/teddy_round2.json.'
        }
    )
    Links       = @('Find-MediaByText', 'Add-MediaEmbedding', 'Invoke-MediaReview', 'Set-MediaXmpTag')
}
