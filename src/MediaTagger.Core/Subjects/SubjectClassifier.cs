using System.Diagnostics;
using System.Numerics.Tensors;
using Microsoft.ML;
using Microsoft.ML.Calibrators;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;

namespace MediaTagger.Core.Subjects;

/// <summary>
/// A subject's learned ranking: an L2-regularised logistic regression (ML.NET's L-BFGS trainer) on the model's
/// embeddings of its examples, with Platt calibration fitted on cross-validated (held-out) scores, so a probability
/// means the same across subjects and models and is not the training set's over-confidence. The probability is a
/// logistic function of the raw score with a positive slope: monotone for a fixed model.
/// </summary>
public sealed class SubjectClassifier
{
    /// <summary>Fewest examples on each side before the classifier replaces the anchors' max-similarity rule.</summary>
    public const int MinPerClass = 3;

    /// <summary>Embeddings are unit vectors; scaled so a component is about 1 and one regularisation strength suits every model size.</summary>
    static float FeatureScale(int dimension) => MathF.Sqrt(dimension);

    const float L2 = 1f;
    const int MaxFolds = 5;

    /// <summary>Weight of one background item against one decision.</summary>
    const float BackgroundWeight = 0.2f;

    readonly float[] _weights;
    readonly double _slope, _offset;

    SubjectClassifier(float[] weights, float bias, double slope, double offset, int positives, int negatives, (double, bool)[] heldOut, TimeSpan time)
    {
        _weights = weights;
        Bias = bias;
        _slope = slope;
        _offset = offset;
        Positives = positives;
        Negatives = negatives;
        HeldOut = heldOut;
        TrainingTime = time;
    }

    /// <summary>Weights in the space of the stored (unit) vectors: raw score = Weights · v + Bias.</summary>
    public float[] Weights => _weights;
    public float Bias { get; }
    public int Positives { get; }
    public int Negatives { get; }
    public TimeSpan TrainingTime { get; }

    /// <summary>Each example's calibrated probability from a model that did not see it, with its label.</summary>
    public IReadOnlyList<(double Probability, bool Positive)> HeldOut { get; }

    public double Raw(ReadOnlySpan<float> vector) => TensorPrimitives.Dot(vector, _weights) + Bias;

    /// <summary>Calibrated probability that an item with this raw score shows the subject; strictly increasing in <paramref name="raw"/>.</summary>
    public double Probability(double raw) => 1.0 / (1.0 + Math.Exp(_slope * raw + _offset));

    /// <summary>The raw score whose probability is <paramref name="p"/> (the inverse of <see cref="Probability"/>).</summary>
    public double RawFor(double p) => (Math.Log(1.0 / p - 1.0) - _offset) / _slope;

    /// <summary>
    /// Precision and recall of "probability ≥ <paramref name="threshold"/>" over the decisions, each judged by a model
    /// trained without it (cross-validation). Null precision when nothing reaches the threshold.
    /// </summary>
    public (double? Precision, double Recall) Estimate(double threshold)
    {
        int tp = 0, fp = 0, fn = 0;
        foreach (var (p, positive) in HeldOut)
        {
            if (p >= threshold) { if (positive) tp++; else fp++; }
            else if (positive) fn++;
        }
        return (tp + fp == 0 ? null : (double)tp / (tp + fp), tp + fn == 0 ? 0 : (double)tp / (tp + fn));
    }

    public static bool CanTrain(int positives, int negatives) => positives >= MinPerClass && negatives >= MinPerClass;

    /// <summary>
    /// Trains on the examples' vectors (unit length, one dimension). <paramref name="background"/>: a sample of undecided
    /// items taken as weak negatives (most of a library is not the subject); without them a few rejections teach
    /// "anything unlike these" and the ranking wanders. They only train, never calibrate or estimate. Deterministic.
    /// </summary>
    public static SubjectClassifier Train(IReadOnlyList<float[]> positives, IReadOnlyList<float[]> negatives, IReadOnlyList<float[]>? background = null)
    {
        if (!CanTrain(positives.Count, negatives.Count))
            throw new ArgumentException($"Training needs at least {MinPerClass} positive and {MinPerClass} negative examples.");
        var clock = Stopwatch.StartNew();
        var dimension = positives[0].Length;
        var scale = FeatureScale(dimension);
        var rows = positives.Select(v => new Row(true, v, scale, 1)).Concat(negatives.Select(v => new Row(false, v, scale, 1))).ToArray();
        var weak = (background ?? []).Select(v => new Row(false, v, scale, BackgroundWeight)).ToArray();
        var ml = new MLContext(seed: 1);
        var schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, dimension);

        // Held-out raw scores: stratified folds, so every fold has both sides.
        var folds = Math.Clamp(Math.Min(positives.Count, negatives.Count), 2, MaxFolds);
        var foldOf = new int[rows.Length];
        var random = new Random(17);
        foreach (var side in new[] { true, false })
        {
            var members = Enumerable.Range(0, rows.Length).Where(i => rows[i].Label == side).OrderBy(_ => random.Next()).ToList();
            for (var k = 0; k < members.Count; k++) foldOf[members[k]] = k % folds;
        }
        var heldOutRaw = new double[rows.Length];
        for (var f = 0; f < folds; f++)
        {
            var (w, b) = Fit(ml, schema, rows.Where((_, i) => foldOf[i] != f).Concat(weak));
            for (var i = 0; i < rows.Length; i++)
                if (foldOf[i] == f) heldOutRaw[i] = TensorPrimitives.Dot(rows[i].Features, w) + b;
        }
        var (weights, bias) = Fit(ml, schema, rows.Concat(weak));
        var (slope, offset) = Platt(ml, heldOutRaw, rows);
        var scaled = weights.Select(w => w * scale).ToArray();
        var classifier = new SubjectClassifier(scaled, bias, slope, offset, positives.Count, negatives.Count, [], TimeSpan.Zero);
        var heldOut = heldOutRaw.Select((r, i) => (classifier.Probability(r), rows[i].Label)).ToArray();
        return new SubjectClassifier(scaled, bias, slope, offset, positives.Count, negatives.Count, heldOut, clock.Elapsed);
    }

    static (float[] Weights, float Bias) Fit(MLContext ml, SchemaDefinition schema, IEnumerable<Row> rows)
    {
        var trainer = ml.BinaryClassification.Trainers.LbfgsLogisticRegression(new LbfgsLogisticRegressionBinaryTrainer.Options
        {
            L2Regularization = L2,
            L1Regularization = 0,
            ExampleWeightColumnName = nameof(Row.Weight),
            NumberOfThreads = 1,   // deterministic, and a few hundred rows gain nothing from more
            ShowTrainingStatistics = false,
        });
        var model = trainer.Fit(ml.Data.LoadFromEnumerable(rows, schema)).Model.SubModel;
        return (model.Weights.ToArray(), model.Bias);
    }

    /// <summary>Platt scaling of the held-out scores; falls back to the logistic model's own link when the fit is not increasing.</summary>
    static (double Slope, double Offset) Platt(MLContext ml, double[] raw, Row[] rows)
    {
        var scored = raw.Select((r, i) => new Scored { Label = rows[i].Label, Score = (float)r });
        var fitted = ((ISingleFeaturePredictionTransformer<PlattCalibrator>)ml.BinaryClassification.Calibrators.Platt().Fit(ml.Data.LoadFromEnumerable(scored))).Model;
        return fitted.Slope < 0 && double.IsFinite(fitted.Slope) && double.IsFinite(fitted.Offset) ? (fitted.Slope, fitted.Offset) : (-1, 0);
    }

    sealed class Row
    {
        public Row() { }
        public Row(bool label, float[] vector, float scale, float weight)
        {
            Label = label;
            Weight = weight;
            Features = new float[vector.Length];
            TensorPrimitives.Multiply(vector, scale, Features);
        }
        public bool Label { get; set; }
        public float Weight { get; set; }
        public float[] Features { get; set; } = [];
    }

    sealed class Scored
    {
        public bool Label { get; set; }
        public float Score { get; set; }
    }
}
