// Runs a TensorFlow.js graph model with the pure-JavaScript CPU backend: the reference the ONNX conversion is checked
// against. Usage: node tfjs-run.mjs <folder holding node_modules/@tensorflow/tfjs> <model.json> <input.f32> <n,h,w,c> <out.json> <output names,...>
// The input is raw little-endian float32 NHWC, one or more tensors of that shape back to back, each run on its own;
// the answer is JSON: { "<output>": [ { "shape": [...], "data": [...] }, ... one per input tensor ] }.
import { createRequire } from 'node:module';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const [tfjsRoot, modelJson, inputFile, shapeText, outFile, outputs] = process.argv.slice(2);
const require = createRequire(join(tfjsRoot, 'package.json'));
const tf = require('@tensorflow/tfjs');
await tf.setBackend('cpu');

const model = JSON.parse(readFileSync(modelJson, 'utf8'));
const folder = dirname(modelJson);
const weightSpecs = model.weightsManifest.flatMap((g) => g.weights);
const shards = model.weightsManifest.flatMap((g) => g.paths.map((p) => readFileSync(join(folder, p))));
const weightData = new Uint8Array(Buffer.concat(shards)).buffer;
const handler = {
  load: async () => ({
    modelTopology: model.modelTopology, weightSpecs, weightData, format: model.format,
    generatedBy: model.generatedBy, convertedBy: model.convertedBy, signature: model.signature, userDefinedMetadata: model.userDefinedMetadata,
  }),
};
const graph = await tf.loadGraphModel(handler);
const shape = shapeText.split(',').map(Number);
const size = shape.reduce((a, b) => a * b, 1);
const bytes = readFileSync(inputFile);
const all = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
const names = outputs.split(',');
const answer = Object.fromEntries(names.map((n) => [n, []]));
for (let offset = 0; offset < all.length; offset += size) {
  const input = tf.tensor(all.slice(offset, offset + size), shape, 'float32');
  let results = graph.execute(input, names);
  if (!Array.isArray(results)) results = [results];
  names.forEach((n, i) => answer[n].push({ shape: results[i].shape, data: Array.from(results[i].dataSync()) }));
  tf.dispose([input, ...results]);
}
writeFileSync(outFile, JSON.stringify(answer));
