@{
    Synopsis    = 'Finds the photos and videos of a library that best fit a description such as "a photo of a dog", best first.'
    Description = @'
Find-MediaByText searches the library's embeddings with a text prompt instead of an example image. It needs a CLIP-family model (one that turns both pictures and text into comparable lists of numbers): install one, index the library with it (Add-MediaEmbedding -Model <name>), then search with it. The built-in image model (resnet18) understands no text; with it the command stops with one error that names the install command.

Scores. The score is the cosine similarity between the prompt and each picture. Text-to-image scores are much lower than image-to-image scores: with CLIP a good match is often only 0.25 to 0.35, so read them relative to each other and cut with -MinScore or Where-Object Score -gt ... after looking at the top results.

Several prompts. -Text takes several prompts; an item's score is its best similarity to any of them (max, not mean), and BestPrompt says which one. -Label with -Profile builds prompts from the profile's promptTemplates ("a photo of {label}", "a photo of a pet named {label}"...).

Negative prompts. -NegativeText works like negative anchors: an item is dropped when its similarity to its closest negative prompt is higher than to its closest prompt (a tie keeps it); kept items carry NegativeScore and Margin (Score minus NegativeScore).

Videos score as their best frame (BestFrame). At most -K results with a score of at least -MinScore are returned, best first; defaults come from the profile's queryDefaults.text values, else K 700 and MinScore 0.22. Every query writes data/last_query.json (Invoke-MediaReview reads it) and, with -OutFile name.json, data/name.json.
'@
    Parameters  = @{
        ExcludeTag      = "Leave out assets whose sidecar already carries one of these tags (or a tag below one, so 'Pets|Teddy' also covers 'Pets|Teddy|Puppy'), e.g. -ExcludeTag 'Pets|Teddy' to see only what is not tagged yet. Both sidecar namings are read."
        ExcludeReviewed = 'Leave out assets whose latest review decision was a rejection: for -ReviewLabel when given, else for this same question (the same anchors or prompts).'
        ReviewLabel     = 'With -ExcludeReviewed: use the decisions recorded under this review label (Invoke-MediaReview -Label Teddy), whatever the question was. Defaults to the first -Label.'
        Text         = 'One or more descriptions of what you are looking for, e.g. ''a photo of a dog''. The score is the best similarity to any of them.'
        Label        = 'Names or things to build prompts from with the profile''s promptTemplates (e.g. -Label dog -Profile pets gives "a photo of dog" and "a photo of a pet named dog"); without -Profile the template is "a photo of {label}". Can be combined with -Text.'
        NegativeText = 'Descriptions of what you do NOT want, e.g. ''a stuffed toy''. An item more similar to its closest negative prompt than to its closest prompt is dropped.'
        Library      = 'The root folder of the library to search. Defaults to the library used last in this session.'
        StorePath    = 'The store folder of the library when it is not <root>/.mediatagger (see Get-MediaAsset -StorePath).'
        Model        = 'The CLIP-family model whose embeddings are searched; prompts are embedded with its text tower. Defaults to the profile''s model, else the only model the library has embeddings of.'
        Profile      = 'A profile name or .json file: supplies promptTemplates for -Label, the default -K and -MinScore (queryDefaults.text) and the model.'
        K            = 'The most results to return (default: the profile''s queryDefaults.text.k, else 700).'
        MinScore     = 'The lowest score a result may have, between -1 and 1 (default: the profile''s queryDefaults.text.minScore, else 0.22).'
        OutFile      = 'Also save the results as data/<name> in the library''s store, e.g. -OutFile dog_candidates.json. A plain file name; an existing file that is not a saved query is never overwritten.'
    }
    Examples    = @(
        @{
            Title   = 'Pre-select dog photos for review'
            Code    = "Find-MediaByText -Library ~/Pictures -Model clip-vit-base-patch32 -Text 'a photo of a dog' -K 2000 -MinScore 0.22 -OutFile dog_candidates.json"
            Remarks = 'Writes data/dog_candidates.json and data/last_query.json; Invoke-MediaReview then shows the candidates.'
        }
        @{
            Title   = 'Prompts from a profile'
            Code    = 'Find-MediaByText -Label beach -Profile places | Select-Object -First 20'
            Remarks = 'Searches with "a photo of beach" and "a landscape photo of beach" and keeps the best score of the two.'
        }
        @{
            Title   = 'Exclude what you do not want'
            Code    = "Find-MediaByText -Text 'a photo of a cat' -NegativeText 'a cartoon cat', 'a cat toy' | Export-Csv cats.csv"
            Remarks = 'Drops pictures that fit a negative prompt better than the positive one.'
        }
    )
    Links       = @('Find-SimilarMedia', 'Add-MediaEmbedding', 'Invoke-MediaReview')
}
