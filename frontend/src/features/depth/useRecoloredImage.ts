import { useEffect, useState } from "react";
import type { Colormap } from "../../api/types";
import { applyLut, colormapLut, reversedLut } from "../../lib/colormaps";

/**
 * A grayscale image (the 16-bit depth file, which browsers decode to 8 bits) recoloured with
 * `colormap` in a canvas; null until ready, when there is nothing to do, or when it fails.
 * The file runs from 0 (nearest) to white (farthest); the colours are read reversed so that near is
 * bright, as in the server's own preview.
 */
export function useRecoloredImage(src: string | undefined, colormap: Colormap | null): string | null {
  const [url, setUrl] = useState<string | null>(null);

  useEffect(() => {
    setUrl(null);
    if (!src || !colormap) return;
    let cancelled = false;
    let objectUrl: string | null = null;
    const image = new Image();
    image.decoding = "async";
    image.onload = () => {
      if (cancelled) return;
      const canvas = document.createElement("canvas");
      canvas.width = image.naturalWidth;
      canvas.height = image.naturalHeight;
      const context = canvas.getContext("2d", { willReadFrequently: true });
      if (!context) return;
      context.drawImage(image, 0, 0);
      const data = context.getImageData(0, 0, canvas.width, canvas.height);
      applyLut(data.data, reversedLut(colormapLut(colormap)));
      context.putImageData(data, 0, 0);
      canvas.toBlob((blob) => {
        if (cancelled || !blob) return;
        objectUrl = URL.createObjectURL(blob);
        setUrl(objectUrl);
      }, "image/png");
    };
    image.src = src;
    return () => {
      cancelled = true;
      if (objectUrl) URL.revokeObjectURL(objectUrl);
    };
  }, [src, colormap]);

  return url;
}
