// Builds tiny CLIP-shaped ONNX models at test time, with the input/output names and dtypes of real exports, so the
// real loading, tokenising and inference code runs without any downloaded weights. Self-contained (BCL only) so the
// Pester tests can compile it with Add-Type too.
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;

namespace MediaTagger.TestSupport
{
    /// <summary>Writes ONNX ModelProto messages (field numbers of onnx.proto) with a minimal protobuf encoder.</summary>
    public sealed class OnnxWriter
    {
        public const int Float = 1, Int32 = 6, Int64 = 7;

        sealed class Proto
        {
            readonly MemoryStream _s = new MemoryStream();
            void Varint(ulong v) { while (v >= 0x80) { _s.WriteByte((byte)(v | 0x80)); v >>= 7; } _s.WriteByte((byte)v); }
            void Tag(int field, int wire) => Varint((ulong)((field << 3) | wire));
            public Proto Int(int field, long v) { Tag(field, 0); Varint((ulong)v); return this; }
            public Proto Bytes(int field, byte[] b) { Tag(field, 2); Varint((ulong)b.Length); _s.Write(b, 0, b.Length); return this; }
            public Proto Str(int field, string s) => Bytes(field, Encoding.UTF8.GetBytes(s));
            public Proto Msg(int field, Proto m) => Bytes(field, m.ToArray());
            public Proto Fixed32(int field, float f) { Tag(field, 5); _s.Write(BitConverter.GetBytes(f), 0, 4); return this; }
            public byte[] ToArray() => _s.ToArray();
        }

        readonly List<Proto> _nodes = new List<Proto>();
        readonly List<Proto> _initializers = new List<Proto>();
        readonly List<Proto> _inputs = new List<Proto>();
        readonly List<Proto> _outputs = new List<Proto>();

        static Proto ValueInfo(string name, int elemType, object[] dims)
        {
            var shape = new Proto();
            foreach (var d in dims)
                shape.Msg(1, d is string p ? new Proto().Str(2, p) : new Proto().Int(1, Convert.ToInt64(d)));
            var tensorType = new Proto().Int(1, elemType).Msg(2, shape);
            return new Proto().Str(1, name).Msg(2, new Proto().Msg(1, tensorType));
        }

        /// <summary>A graph input; a dimension is an int (fixed) or a string (symbolic, like "batch_size").</summary>
        public OnnxWriter Input(string name, int elemType, params object[] dims) { _inputs.Add(ValueInfo(name, elemType, dims)); return this; }
        public OnnxWriter Output(string name, int elemType, params object[] dims) { _outputs.Add(ValueInfo(name, elemType, dims)); return this; }

        public OnnxWriter FloatInitializer(string name, float[] data, params long[] dims)
        {
            var t = new Proto();
            foreach (var d in dims) t.Int(1, d);
            t.Int(2, Float).Str(8, name);
            var raw = new byte[data.Length * 4];
            Buffer.BlockCopy(data, 0, raw, 0, raw.Length);
            t.Bytes(9, raw);
            _initializers.Add(t);
            return this;
        }

        public OnnxWriter Int64Initializer(string name, long[] data, params long[] dims)
        {
            var t = new Proto();
            foreach (var d in dims) t.Int(1, d);
            t.Int(2, Int64).Str(8, name);
            var raw = new byte[data.Length * 8];
            Buffer.BlockCopy(data, 0, raw, 0, raw.Length);
            t.Bytes(9, raw);
            _initializers.Add(t);
            return this;
        }

        /// <summary>A node; attributes are (name, long[] ints), (name, long int) or (name, float).</summary>
        public OnnxWriter Node(string op, string[] inputs, string[] outputs, params (string Name, object Value)[] attributes)
        {
            var n = new Proto();
            foreach (var i in inputs) n.Str(1, i);
            foreach (var o in outputs) n.Str(2, o);
            n.Str(3, op + "_" + _nodes.Count).Str(4, op);
            foreach (var (name, value) in attributes)
            {
                var a = new Proto().Str(1, name);
                if (value is long[] ints) { foreach (var v in ints) a.Int(8, v); a.Int(20, 7); }
                else if (value is float f) { a.Fixed32(2, f); a.Int(20, 1); }
                else { a.Int(3, Convert.ToInt64(value)); a.Int(20, 2); }
                n.Msg(5, a);
            }
            _nodes.Add(n);
            return this;
        }

        public byte[] ToBytes(int opset = 13)
        {
            var g = new Proto();
            foreach (var n in _nodes) g.Msg(1, n);
            g.Str(2, "tiny");
            foreach (var i in _initializers) g.Msg(5, i);
            foreach (var i in _inputs) g.Msg(11, i);
            foreach (var o in _outputs) g.Msg(12, o);
            return new Proto().Int(1, 8).Str(2, "mediatagger-tests").Msg(7, g).Msg(8, new Proto().Str(1, "").Int(2, opset)).ToArray();
        }

        public void Save(string path, int opset = 13)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".");
            File.WriteAllBytes(path, ToBytes(opset));
        }
    }

    /// <summary>
    /// Tiny CLIP models: the image tower averages each colour channel (after CLIP normalisation) and projects it onto
    /// red / green / blue / brightness axes; the text tower averages token embeddings in which "red", "green" and "blue"
    /// point along the same axes. So "red" text lands near red images, as with a real CLIP model.
    /// </summary>
    public static class TinyClip
    {
        public const int Dim = 4;
        public static readonly string[] Colours = { "red", "green", "blue" };

        /// <summary>GPT-2/CLIP's byte-to-unicode table: printable bytes map to themselves, others above U+0100.</summary>
        public static string[] ByteChars()
        {
            var printable = Enumerable.Range('!', '~' - '!' + 1).Concat(Enumerable.Range('¡', '¬' - '¡' + 1)).Concat(Enumerable.Range('®', 'ÿ' - '®' + 1)).ToList();
            var map = new string[256];
            var n = 0;
            for (var b = 0; b < 256; b++) map[b] = printable.Contains(b) ? ((char)b).ToString() : ((char)(256 + n++)).ToString();
            return map;
        }

        /// <summary>A CLIP-layout vocabulary (bytes, bytes with &lt;/w&gt;, merges, then the two special tokens) that spells the colour words as single tokens.</summary>
        public static (Dictionary<string, int> Vocab, List<string> Merges) Vocabulary()
        {
            var vocab = new Dictionary<string, int>();
            foreach (var c in ByteChars()) vocab[c] = vocab.Count;
            foreach (var c in ByteChars()) vocab[c + "</w>"] = vocab.Count;
            var merges = new List<string>();
            // Right to left ("e n</w>", "e en</w>", "r een</w>", ...): no merge of one word applies inside another,
            // so BPE's lowest-rank-first rule always builds each colour word into one token.
            foreach (var word in Colours)
            {
                var current = word[^1] + "</w>";
                for (var i = word.Length - 2; i >= 0; i--)
                {
                    merges.Add(word[i] + " " + current);
                    current = word[i] + current;
                    if (!vocab.ContainsKey(current)) vocab[current] = vocab.Count;
                }
            }
            vocab["<|startoftext|>"] = vocab.Count;
            vocab["<|endoftext|>"] = vocab.Count;
            return (vocab, merges);
        }

        static string JsonString(string s)
        {
            var sb = new StringBuilder("\"");
            foreach (var ch in s)
            {
                if (ch == '"' || ch == '\\') sb.Append('\\').Append(ch);
                else if (ch < 0x20 || ch > 0x7e) sb.Append("\\u").Append(((int)ch).ToString("x4"));
                else sb.Append(ch);
            }
            return sb.Append('"').ToString();
        }

        static string VocabJson(Dictionary<string, int> vocab) => "{" + string.Join(", ", vocab.Select(kv => JsonString(kv.Key) + ": " + kv.Value)) + "}";

        static float[] ImageProjection() => new float[]
        {
            1f, -0.5f, -0.5f, 0.3f,
            -0.5f, 1f, -0.5f, 0.3f,
            -0.5f, -0.5f, 1f, 0.3f,
        };

        static float[] TokenEmbeddings(Dictionary<string, int> vocab)
        {
            var e = new float[vocab.Count * Dim];
            for (var c = 0; c < Colours.Length; c++) e[vocab[Colours[c] + "</w>"] * Dim + c] = 1f;
            return e;
        }

        /// <summary>pixel_values [batch,3,size,size] → GlobalAveragePool → Flatten → MatMul → output.</summary>
        public static OnnxWriter ImageTower(string input, string output, object batch, int size = 224) =>
            new OnnxWriter()
                .Input(input, OnnxWriter.Float, batch, 3, size, size)
                .Output(output, OnnxWriter.Float, batch, Dim)
                .FloatInitializer("projection", ImageProjection(), 3, Dim)
                .Node("GlobalAveragePool", new[] { input }, new[] { "pooled" })
                .Node("Flatten", new[] { "pooled" }, new[] { "flat" }, ("axis", 1L))
                .Node("MatMul", new[] { "flat", "projection" }, new[] { output });

        /// <summary>input_ids [batch,len] (int64 or int32) → Gather(token embeddings) → ReduceMean over tokens → output.</summary>
        public static OnnxWriter TextTower(string input, int idType, string output, object batch, object length)
        {
            var (vocab, _) = Vocabulary();
            return new OnnxWriter()
                .Input(input, idType, batch, length)
                .Output(output, OnnxWriter.Float, batch, Dim)
                .FloatInitializer("token_embedding", TokenEmbeddings(vocab), vocab.Count, Dim)
                .Node("Gather", new[] { "token_embedding", input }, new[] { "tokens" }, ("axis", 0L))
                .Node("ReduceMean", new[] { "tokens" }, new[] { output }, ("axes", new long[] { 1 }), ("keepdims", 0L));
        }

        const string Mean = "[0.48145466, 0.4578275, 0.40821073]";
        const string Std = "[0.26862954, 0.26130258, 0.27577711]";

        /// <summary>
        /// A Hugging Face split export (Xenova layout) in <paramref name="folder"/>: onnx/vision_model.onnx,
        /// onnx/text_model.onnx (int64 ids, or int32 when <paramref name="int32Ids"/>), vocab.json, merges.txt and a
        /// preprocessor_config.json in the legacy or the nested form. Returns the folder.
        /// </summary>
        public static string WriteHuggingFace(string folder, bool int32Ids = false, bool nestedConfig = false, bool withText = true)
        {
            ImageTower("pixel_values", "image_embeds", "batch_size").Save(Path.Combine(folder, "onnx", "vision_model.onnx"));
            if (withText)
            {
                TextTower("input_ids", int32Ids ? OnnxWriter.Int32 : OnnxWriter.Int64, "text_embeds", "batch_size", "sequence_length").Save(Path.Combine(folder, "onnx", "text_model.onnx"));
                var (vocab, merges) = Vocabulary();
                File.WriteAllText(Path.Combine(folder, "vocab.json"), VocabJson(vocab));
                File.WriteAllText(Path.Combine(folder, "merges.txt"), "#version: 0.2\n" + string.Join("\n", merges) + "\n");
            }
            File.WriteAllText(Path.Combine(folder, "preprocessor_config.json"), nestedConfig
                ? "{\"crop_size\": {\"height\": 224, \"width\": 224}, \"do_center_crop\": true, \"do_convert_rgb\": true, \"do_normalize\": true, \"do_rescale\": true, \"do_resize\": true, \"image_mean\": " + Mean + ", \"image_processor_type\": \"CLIPImageProcessor\", \"image_std\": " + Std + ", \"resample\": 3, \"rescale_factor\": 0.00392156862745098, \"size\": {\"shortest_edge\": 224}}"
                : "{\"crop_size\": 224, \"do_center_crop\": true, \"do_normalize\": true, \"do_resize\": true, \"feature_extractor_type\": \"CLIPFeatureExtractor\", \"image_mean\": " + Mean + ", \"image_std\": " + Std + ", \"resample\": 3, \"size\": 224}");
            return folder;
        }

        /// <summary>Immich's layout: visual/model.onnx (image → embedding, batch fixed at 1), visual/preprocess_cfg.json, textual/model.onnx (int32 text [1,77] → embedding), textual/tokenizer.json.</summary>
        public static string WriteImmich(string folder)
        {
            ImageTower("image", "embedding", 1).Save(Path.Combine(folder, "visual", "model.onnx"));
            TextTower("text", OnnxWriter.Int32, "embedding", 1, 77).Save(Path.Combine(folder, "textual", "model.onnx"));
            File.WriteAllText(Path.Combine(folder, "visual", "preprocess_cfg.json"),
                "{\"size\": [224, 224], \"mode\": \"RGB\", \"mean\": " + Mean + ", \"std\": " + Std + ", \"interpolation\": \"bicubic\", \"resize_mode\": \"shortest\", \"fill_color\": 0}");
            var (vocab, merges) = Vocabulary();
            var specials = vocab.Where(kv => kv.Key.StartsWith("<|")).ToList();
            var modelVocab = vocab.Where(kv => !kv.Key.StartsWith("<|")).ToDictionary(kv => kv.Key, kv => kv.Value);
            File.WriteAllText(Path.Combine(folder, "textual", "tokenizer.json"),
                "{\"version\": \"1.0\", \"added_tokens\": [" + string.Join(", ", specials.Select(s => "{\"id\": " + s.Value + ", \"content\": " + JsonString(s.Key) + ", \"special\": true}")) + "], " +
                "\"model\": {\"type\": \"BPE\", \"end_of_word_suffix\": \"</w>\", \"vocab\": " + VocabJson(modelVocab) + ", \"merges\": [" + string.Join(", ", merges.Select(JsonString)) + "]}}");
            return folder;
        }
    }
}
