/** A float32 array read from a NumPy `.npy` file: its shape and its values in C order. */
export interface NpyArray {
  shape: number[];
  data: Float32Array;
}

/**
 * Parse a `.npy` file (format 1.0–3.0) holding little-endian float32 (`<f4`) in C order; anything else throws.
 * The header is a Python dict literal: `{'descr': '<f4', 'fortran_order': False, 'shape': (3, 60, 80), }`.
 */
export function parseNpy(buffer: ArrayBuffer): NpyArray {
  const bytes = new Uint8Array(buffer);
  const magic = String.fromCharCode(...bytes.slice(1, 6));
  if (bytes[0] !== 0x93 || magic !== "NUMPY") throw new Error("not a .npy file");
  const major = bytes[6];
  const view = new DataView(buffer);
  const [headerLength, headerStart] = major === 1 ? [view.getUint16(8, true), 10] : [view.getUint32(8, true), 12];
  const header = new TextDecoder().decode(bytes.slice(headerStart, headerStart + headerLength));
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr !== "<f4" || fortran !== "False" || shapeText === undefined) throw new Error(`unsupported .npy header: ${header.trim()}`);
  const shape = shapeText
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)
    .map(Number);
  const count = shape.reduce((a, b) => a * b, 1);
  const offset = headerStart + headerLength;
  if (buffer.byteLength < offset + 4 * count) throw new Error("the .npy file is truncated");
  // Copied: the data's offset need not be a multiple of 4, as a Float32Array view requires.
  const data = new Float32Array(buffer.slice(offset, offset + 4 * count));
  return { shape, data };
}
