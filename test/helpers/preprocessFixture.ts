import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeModel, floatTensor, node, valueInfo } from '../../main/core/engines/local/onnxBuilder';

/**
 * A preprocess pack with the official files' names and I/O (YOLOv10m: images [1,3,640,640] ->
 * [1,N,6]; ViTPose wholebody: [N,3,256,192] -> [N,133,64,48]) whose outputs are known constants
 * (kept connected to the input so the runtime runs the whole graph): the plumbing, pre- and
 * post-processing are tested exactly without the 2.5 GB real models.
 */
export const FIXTURE_BOXES_640: readonly (readonly number[])[] = [
  [100, 80, 300, 560, 0.9, 0], // a person
  [110, 90, 305, 555, 0.6, 0], // the same person again, lower score: NMS drops it
  [400, 300, 600, 420, 0.8, 2], // a car: not a person
];

/** Heatmap peak of joint j, in heatmap pixels (48 wide, 64 high), away from the edges. */
export const fixturePeak = (j: number): { x: number; y: number } => ({ x: 4 + ((j * 7) % 40), y: 4 + ((j * 5) % 56) });

/** A graph output = constant + 0 * sum(input): depends on the input, equals the constant. */
function constantGraph(name: string, input: { name: string; dims: (number | string)[] }, output: { name: string; dims: (number | string)[] }, constDims: number[], data: Float32Array): Uint8Array {
  return encodeModel({
    name,
    inputs: [valueInfo(input.name, 'float32', input.dims)],
    outputs: [valueInfo(output.name, 'float32', output.dims)],
    initializers: [floatTensor('value', constDims, data), floatTensor('zero', [], new Float32Array([0]))],
    nodes: [node('ReduceSum', [input.name], ['sum'], { keepdims: 0 }), node('Mul', ['sum', 'zero'], ['nothing']), node('Add', ['value', 'nothing'], [output.name])],
  });
}

export function makePreprocessFixture(dir: string): string {
  mkdirSync(join(dir, 'det'), { recursive: true });
  mkdirSync(join(dir, 'pose2d'), { recursive: true });
  const boxes = new Float32Array(FIXTURE_BOXES_640.flat());
  writeFileSync(join(dir, 'det', 'yolov10m.onnx'), constantGraph('fixture_yolov10m', { name: 'images', dims: [1, 3, 640, 640] }, { name: 'output0', dims: [1, FIXTURE_BOXES_640.length, 6] }, [1, FIXTURE_BOXES_640.length, 6], boxes));
  const [hh, hw] = [64, 48];
  const heat = new Float32Array(133 * hh * hw);
  for (let j = 0; j < 133; j++) {
    const p = fixturePeak(j);
    for (let y = 0; y < hh; y++) for (let x = 0; x < hw; x++) heat[j * hh * hw + y * hw + x] = 0.9 * Math.exp(-((x - p.x) ** 2 + (y - p.y) ** 2) / (2 * 2 * 2));
  }
  writeFileSync(join(dir, 'pose2d', 'vitpose_h_wholebody.onnx'), constantGraph('fixture_vitpose', { name: 'input', dims: ['batch', 3, 256, 192] }, { name: 'heatmaps', dims: [1, 133, hh, hw] }, [1, 133, hh, hw], heat));
  return dir;
}
