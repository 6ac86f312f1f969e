import * as ort from 'onnxruntime-node';

export type Tensor = ort.Tensor;

export const f32 = (data: Float32Array, dims: number[]): Tensor => new ort.Tensor('float32', data, dims);

/** A graph output's values; a missing output is a pack defect named by what was expected. */
export const data = (t: Tensor | undefined, what: string): Float32Array => {
  if (!t) throw new Error(`the model returned no ${what}`);
  return t.data as Float32Array;
};

/** Concatenates two [1, C, T, h, w] tensors along time. */
export function concatTime(a: Float32Array, ta: number, b: Float32Array, tb: number, c: number, hw: number): Float32Array {
  const out = new Float32Array(c * (ta + tb) * hw);
  for (let ch = 0; ch < c; ch++) {
    out.set(a.subarray(ch * ta * hw, (ch + 1) * ta * hw), ch * (ta + tb) * hw);
    out.set(b.subarray(ch * tb * hw, (ch + 1) * tb * hw), ch * (ta + tb) * hw + ta * hw);
  }
  return out;
}
