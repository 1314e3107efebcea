using MediaTagger.Core.Common;
using MediaTagger.Core.Library;
using MediaTagger.Core.Review;

namespace MediaTagger.Core.Subjects;

/// <summary>One decision on one asset for a subject.</summary>
public sealed record SubjectDecision(MediaAsset Asset, bool Approved, double? Score = null, int? Rank = null, int? Frame = null);

/// <summary>
/// Records decisions for a subject as a review of the library (label = the subject's name), the one record that
/// approval, exclusion and learning all read.
/// </summary>
public static class SubjectDecisions
{
    /// <summary>Saves one review record and returns its path.</summary>
    /// <param name="model">The model that scored the items, when known: kept for the tags' provenance.</param>
    public static string Record(MediaLibrary library, Subject subject, IReadOnlyList<SubjectDecision> decisions, string method, double? threshold = null, string? model = null)
    {
        var record = new ReviewRecord
        {
            Library = library.Root,
            DecidedBy = Environment.UserName,
            Host = Environment.MachineName,
            Label = subject.Name,
            Method = method,
            Threshold = threshold,
            Query = model is null ? null : new Search.QueryRecord { Kind = "subject", Library = library.Root, Model = model, Anchors = [subject.Name] },
            ApprovedCount = decisions.Count(d => d.Approved),
            RejectedCount = decisions.Count(d => !d.Approved),
            Decisions = decisions.Select(d => new ReviewDecision
            {
                Id = d.Asset.Id,
                RelativePath = d.Asset.RelativePath,
                Frame = d.Frame,
                Score = d.Score,
                Rank = d.Rank,
                Approved = d.Approved,
                FaceId = (d.Asset is ReviewedMatch r ? r.Match : d.Asset) is Faces.FaceMatch face ? face.FaceId : null,
            }).ToList(),
        };
        try
        {
            return ReviewHistory.Save(library, record);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new MediaTaggerException(ErrorIds.ReviewNotRecorded, $"The decisions could not be saved in '{library.ReviewsPath}' ({ex.Message}).", ErrorKind.WriteError, library.ReviewsPath, ex);
        }
    }
}
