// Builds a full-size CLIP ViT-B/32 (Hugging Face split export layout, names and dtypes) with random weights, so speed
// is measured on the real compute cost without downloadable weights. Self-contained (BCL + OnnxWriter in TinyClip.cs)
// so the benchmarks compile it with Add-Type too.
#nullable disable
using System;
using System.IO;
using System.Linq;

namespace MediaTagger.TestSupport
{
    /// <summary>
    /// Vision: 32-px patches of a 224 input, class token, 12 pre-LayerNorm layers of width 768 with 12 heads and a 3072
    /// quick-GELU MLP, post-LayerNorm of the class token, 512-d projection. Text: 77 tokens, 12 causal layers of width 512
    /// with 8 heads and a 2048 MLP, final LayerNorm, the end token's state (highest id) projected to 512.
    /// </summary>
    public static class FullClip
    {
        public const int Projection = 512;

        sealed class Builder
        {
            public readonly OnnxWriter W = new OnnxWriter();
            readonly Random _random;
            int _n;

            public Builder(int seed) => _random = new Random(seed);

            public string Name(string prefix) => prefix + "_" + _n++;

            /// <summary>Random weights of the scale Hugging Face initialises with (uniform, std 0.02).</summary>
            public string Weight(string name, params long[] dims)
            {
                var count = dims.Aggregate(1L, (a, b) => a * b);
                var data = new float[count];
                for (long i = 0; i < count; i++) data[i] = (float)((_random.NextDouble() * 2 - 1) * 0.0346);
                W.FloatInitializer(name, data, dims);
                return name;
            }

            public string Constant(string name, float value, params long[] dims)
            {
                var data = new float[dims.Aggregate(1L, (a, b) => a * b)];
                for (var i = 0; i < data.Length; i++) data[i] = value;
                W.FloatInitializer(name, data, dims);
                return name;
            }

            public string Ints(string name, params long[] values)
            {
                W.Int64Initializer(name, values, values.Length);
                return name;
            }

            public string Op(string op, string[] inputs, params (string, object)[] attributes)
            {
                var output = Name(op.ToLowerInvariant());
                W.Node(op, inputs, new[] { output }, attributes);
                return output;
            }

            public string LayerNorm(string x, string prefix, int width) =>
                Op("LayerNormalization", new[] { x, Constant(prefix + ".weight", 1f, width), Constant(prefix + ".bias", 0f, width) }, ("axis", -1L), ("epsilon", 1e-5f));

            public string Linear(string x, string prefix, int input, int output, bool bias = true)
            {
                var y = Op("MatMul", new[] { x, Weight(prefix + ".weight", input, output) });
                return bias ? Op("Add", new[] { y, Weight(prefix + ".bias", output) }) : y;
            }

            /// <summary>One pre-LayerNorm encoder layer (self-attention, then a quick-GELU MLP), both with residuals.</summary>
            public string Layer(string x, string prefix, int width, int heads, string mask)
            {
                var headSize = width / heads;
                var h = LayerNorm(x, prefix + ".layer_norm1", width);
                string Heads(string t, long[] perm) => Op("Transpose", new[] { Op("Reshape", new[] { t, Ints(Name("shape"), 0, -1, heads, headSize) }) }, ("perm", perm));
                var q = Heads(Linear(h, prefix + ".self_attn.q_proj", width, width), new long[] { 0, 2, 1, 3 });
                var k = Heads(Linear(h, prefix + ".self_attn.k_proj", width, width), new long[] { 0, 2, 3, 1 });
                var v = Heads(Linear(h, prefix + ".self_attn.v_proj", width, width), new long[] { 0, 2, 1, 3 });
                var scores = Op("Mul", new[] { Op("MatMul", new[] { q, k }), Constant(Name("scale"), (float)(1 / Math.Sqrt(headSize))) });
                if (mask != null) scores = Op("Add", new[] { scores, mask });
                var attention = Op("MatMul", new[] { Op("Softmax", new[] { scores }, ("axis", -1L)), v });
                var merged = Op("Reshape", new[] { Op("Transpose", new[] { attention }, ("perm", new long[] { 0, 2, 1, 3 })), Ints(Name("shape"), 0, -1, width) });
                x = Op("Add", new[] { x, Linear(merged, prefix + ".self_attn.out_proj", width, width) });
                var m = Linear(LayerNorm(x, prefix + ".layer_norm2", width), prefix + ".mlp.fc1", width, 4 * width);
                m = Op("Mul", new[] { m, Op("Sigmoid", new[] { Op("Mul", new[] { m, Constant(Name("gelu"), 1.702f) }) }) });
                return Op("Add", new[] { x, Linear(m, prefix + ".mlp.fc2", 4 * width, width) });
            }
        }

        /// <summary>vision_model.onnx: pixel_values [batch_size,3,224,224] float → image_embeds [batch_size,512].</summary>
        public static OnnxWriter Vision(int seed = 1, int layers = 12, int width = 768, int heads = 12, int patch = 32, int size = 224)
        {
            var b = new Builder(seed);
            var grid = size / patch;
            b.W.Input("pixel_values", OnnxWriter.Float, "batch_size", 3, size, size).Output("image_embeds", OnnxWriter.Float, "batch_size", Projection);
            var patches = b.Op("Conv", new[] { "pixel_values", b.Weight("embeddings.patch_embedding.weight", width, 3, patch, patch) },
                ("kernel_shape", new long[] { patch, patch }), ("strides", new long[] { patch, patch }));
            patches = b.Op("Transpose", new[] { b.Op("Reshape", new[] { patches, b.Ints("patch_shape", 0, width, -1) }) }, ("perm", new long[] { 0, 2, 1 }));
            // The class token, one per image: [1,1,width] expanded to [batch,1,width].
            var batch = b.Op("Slice", new[] { b.Op("Shape", new[] { "pixel_values" }), b.Ints("zero", 0), b.Ints("one", 1) });
            var classShape = b.Op("Concat", new[] { batch, b.Ints("one_width", 1, width) }, ("axis", 0L));
            var cls = b.Op("Expand", new[] { b.Weight("embeddings.class_embedding", 1, 1, width), classShape });
            var x = b.Op("Concat", new[] { cls, patches }, ("axis", 1L));
            x = b.Op("Add", new[] { x, b.Weight("embeddings.position_embedding.weight", grid * grid + 1, width) });
            x = b.LayerNorm(x, "pre_layrnorm", width);
            for (var l = 0; l < layers; l++) x = b.Layer(x, $"encoder.layers.{l}", width, heads, null);
            var pooled = b.Op("Gather", new[] { x, b.Ints("first", 0) }, ("axis", 1L));
            pooled = b.Op("Squeeze", new[] { pooled, b.Ints("axis1", 1) });
            pooled = b.LayerNorm(pooled, "post_layernorm", width);
            b.W.Node("MatMul", new[] { pooled, b.Weight("visual_projection.weight", width, Projection) }, new[] { "image_embeds" });
            return b.W;
        }

        /// <summary>text_model.onnx: input_ids [batch_size,77] int64 → text_embeds [batch_size,512].</summary>
        public static OnnxWriter Text(int seed = 2, int layers = 12, int width = 512, int heads = 8, int context = 77, int vocabulary = 49408)
        {
            var b = new Builder(seed);
            b.W.Input("input_ids", OnnxWriter.Int64, "batch_size", context).Output("text_embeds", OnnxWriter.Float, "batch_size", Projection);
            var x = b.Op("Gather", new[] { b.Weight("embeddings.token_embedding.weight", vocabulary, width), "input_ids" }, ("axis", 0L));
            x = b.Op("Add", new[] { x, b.Weight("embeddings.position_embedding.weight", context, width) });
            var mask = new float[context * context];
            for (var i = 0; i < context; i++)
                for (var j = i + 1; j < context; j++) mask[i * context + j] = -1e9f;
            b.W.FloatInitializer("causal_mask", mask, context, context);
            for (var l = 0; l < layers; l++) x = b.Layer(x, $"encoder.layers.{l}", width, heads, "causal_mask");
            x = b.LayerNorm(x, "final_layer_norm", width);
            // The end-of-text token has the highest id: its position is the argmax of the ids.
            var end = b.Op("ArgMax", new[] { b.Op("Cast", new[] { "input_ids" }, ("to", (long)OnnxWriter.Float)) }, ("axis", 1L), ("keepdims", 1L));
            var pooled = b.Op("GatherND", new[] { x, end }, ("batch_dims", 1L));
            b.W.Node("MatMul", new[] { pooled, b.Weight("text_projection.weight", width, Projection) }, new[] { "text_embeds" });
            return b.W;
        }

        /// <summary>A complete model folder (Xenova layout) with the tiny test vocabulary; returns the folder.</summary>
        public static string Write(string folder)
        {
            Vision().Save(Path.Combine(folder, "onnx", "vision_model.onnx"), 17);
            Text().Save(Path.Combine(folder, "onnx", "text_model.onnx"), 17);
            var scratch = Path.Combine(folder, "tiny");
            TinyClip.WriteHuggingFace(scratch);
            foreach (var f in new[] { "vocab.json", "merges.txt", "preprocessor_config.json" }) File.Copy(Path.Combine(scratch, f), Path.Combine(folder, f), true);
            Directory.Delete(scratch, true);
            return folder;
        }
    }
}
