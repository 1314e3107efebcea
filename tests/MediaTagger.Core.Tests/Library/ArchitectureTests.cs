using System.Reflection;
using System.Runtime.CompilerServices;
using MediaTagger.Core.Library;
using MediaTagger.Core.Reps;
using MediaTagger.Core.Review;
using MediaTagger.Core.Search;

namespace MediaTagger.Core.Tests.Library;

/// <summary>The shape rules of issue 12: records that cross stages are immutable, and Library does not depend on Reps.</summary>
public class ArchitectureTests
{
    const BindingFlags All = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    [Theory]
    [InlineData(typeof(MediaAsset))]
    [InlineData(typeof(ScannedAsset))]
    [InlineData(typeof(MediaRep))]
    [InlineData(typeof(RepInfo))]
    [InlineData(typeof(MediaMatch))]
    [InlineData(typeof(ReviewedMatch))]
    [InlineData(typeof(ReviewedAsset))]
    public void Records_that_cross_stages_have_no_public_setter(Type type)
    {
        // A public init accessor is still a setter to PowerShell ($asset.Path = 'x' works), so none may be public.
        var settable = type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod is { IsPublic: true }).Select(p => p.Name);
        Assert.Empty(settable);
    }

    [Fact]
    public void The_library_stage_does_not_reference_the_reps_stage()
    {
        var library = typeof(MediaAsset).Assembly.GetTypes().Where(t => t.Namespace == typeof(MediaAsset).Namespace).ToList();
        var offenders = new List<string>();
        foreach (var type in library)
        {
            var used = type.GetFields(All).Select(f => f.FieldType)
                .Concat(type.GetProperties(All).Select(p => p.PropertyType))
                .Concat(type.GetMethods(All).SelectMany(m => m.GetParameters().Select(p => p.ParameterType).Append(m.ReturnType)));
            offenders.AddRange(used.SelectMany(Flatten).Where(t => t.Namespace == typeof(RepInfo).Namespace).Select(t => $"{type.Name} uses {t.Name}"));
        }
        Assert.Empty(offenders);
    }

    static IEnumerable<Type> Flatten(Type t) =>
        t.IsGenericType ? t.GetGenericArguments().SelectMany(Flatten).Append(t) : t.HasElementType ? Flatten(t.GetElementType()!) : [t];

    [Fact]
    public void The_cached_catalog_hands_out_records_whose_facts_stay_as_the_file_says()
    {
        using var t = new TempFolder();
        var lib = MediaLibrary.Open(t.Path);
        t.File("a.jpg");
        LibraryScanner.Scan(lib, [t.Path], new ScanOptions(), _ => { });
        var first = AssetCatalog.Load(lib).Assets.Single();
        // What a stage makes of an asset is a new object; the catalog's instance is untouched.
        var match = new MediaMatch(first) { Score = 0.9 };
        var reviewed = ReviewedAsset.Of(match, approved: false);
        Assert.NotSame(first, reviewed);
        var again = AssetCatalog.Load(lib).Assets.Single();
        Assert.Equal(typeof(MediaAsset), again.GetType());
        Assert.Equal(first, again);
        Assert.False(((IReviewed)reviewed).Approved);
        Assert.Equal(0.9, ((MediaMatch)reviewed).Score);
    }
}
